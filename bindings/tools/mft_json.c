// SPDX-License-Identifier: ISC
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "mft_json.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* Names end up in command-line options (--net:NAME=...): keep them plain. */
static int name_ok(const char *s, size_t len)
{
	if (len == 0 || len > MFT_NAME_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return 0;
	}
	return 1;
}

static int parse_device(json_object *d, unsigned i, struct mft_json *out,
			char *err, size_t errlen)
{
	struct mft_json_device *dev = &out->dev[i];
	json_object *name = NULL, *type = NULL;
	const char *s;
	size_t len;

	if (!json_object_is_type(d, json_type_object))
		return fail(err, errlen, "device %u: not an object", i);
	json_object_object_foreach(d, key, val) {
		if (!strcmp(key, "name"))
			name = val;
		else if (!strcmp(key, "type"))
			type = val;
		else
			return fail(err, errlen, "device %u: unknown key '%s'",
				    i, key);
	}
	if (!name || !json_object_is_type(name, json_type_string))
		return fail(err, errlen, "device %u: \"name\" must be a string",
			    i);
	s = json_object_get_string(name);
	len = (size_t)json_object_get_string_len(name);
	if (!name_ok(s, len) || strlen(s) != len)
		return fail(err, errlen, "device %u: name must be 1 to %d "
			    "letters, digits or '_'", i, MFT_NAME_MAX);
	memcpy(dev->name, s, len + 1);
	for (unsigned j = 0; j < i; j++)
		if (!strcmp(out->dev[j].name, dev->name))
			return fail(err, errlen, "device '%s' declared twice",
				    dev->name);

	if (!type || !json_object_is_type(type, json_type_string))
		return fail(err, errlen, "device '%s': \"type\" must be a "
			    "string", dev->name);
	s = json_object_get_string(type);
	if (!strcmp(s, "NET_BASIC"))
		dev->type = MFT_DEV_NET_BASIC;
	else if (!strcmp(s, "BLOCK_BASIC"))
		dev->type = MFT_DEV_BLOCK_BASIC;
	else
		return fail(err, errlen, "device '%s': unknown type (expected "
			    "NET_BASIC or BLOCK_BASIC)", dev->name);
	return 0;
}

static int parse_root(json_object *root, struct mft_json *out, char *err,
		      size_t errlen)
{
	json_object *type = NULL, *version = NULL, *devices = NULL;
	size_t n;

	if (!json_object_is_type(root, json_type_object))
		return fail(err, errlen, "top level is not an object");
	json_object_object_foreach(root, key, val) {
		if (!strcmp(key, "type"))
			type = val;
		else if (!strcmp(key, "version"))
			version = val;
		else if (!strcmp(key, "devices"))
			devices = val;
		else
			return fail(err, errlen, "unknown key '%s'", key);
	}
	if (!type || !json_object_is_type(type, json_type_string) ||
	    strcmp(json_object_get_string(type), "solo5.manifest"))
		return fail(err, errlen, "\"type\" must be \"solo5.manifest\"");
	if (!version || !json_object_is_type(version, json_type_int) ||
	    json_object_get_int64(version) != MFT_VERSION)
		return fail(err, errlen, "\"version\" must be %d", MFT_VERSION);
	if (!devices || !json_object_is_type(devices, json_type_array))
		return fail(err, errlen, "\"devices\" must be an array");
	n = json_object_array_length(devices);
	if (n > MFT_JSON_MAX_DEVICES)
		return fail(err, errlen, "%zu devices, at most %d allowed", n,
			    MFT_JSON_MAX_DEVICES);
	out->ndevices = (unsigned)n;
	for (size_t i = 0; i < n; i++)
		if (parse_device(json_object_array_get_idx(devices, i),
				 (unsigned)i, out, err, errlen) < 0)
			return -1;
	return 0;
}

int mft_json_parse(const char *buf, size_t len, struct mft_json *out,
		   char *err, size_t errlen)
{
	struct json_tokener *tok;
	json_object *root;
	int ret;

	memset(out, 0, sizeof(*out));
	if (len > (1U << 20))
		return fail(err, errlen, "manifest larger than 1 MiB");
	if (memchr(buf, '\0', len))
		return fail(err, errlen, "NUL byte in manifest");
	tok = json_tokener_new();
	if (!tok)
		return fail(err, errlen, "out of memory");
	json_tokener_set_flags(tok, JSON_TOKENER_STRICT);
	root = json_tokener_parse_ex(tok, buf, (int)len);
	if (!root || json_tokener_get_parse_end(tok) != len) {
		enum json_tokener_error je = json_tokener_get_error(tok);

		json_object_put(root);
		json_tokener_free(tok);
		return fail(err, errlen, "invalid JSON: %s",
			    je == json_tokener_success ?
			    "trailing data" : json_tokener_error_desc(je));
	}
	json_tokener_free(tok);
	ret = parse_root(root, out, err, errlen);
	json_object_put(root);
	return ret;
}
