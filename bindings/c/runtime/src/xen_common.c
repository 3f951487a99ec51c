/*
 * The hand-written runtime of xenia's C binding: XML-RPC requests built from type descriptors,
 * responses parsed with libxml2 and decoded by the same descriptors, errors kept on the session,
 * the session calls, and the generic frees the generated code points at.
 *
 * One generic encoder and decoder walk the descriptors (xen_internal.h) rather than one function
 * per type, as in xapi's libxenserver: the generated code then only holds tables, and a fix here
 * fixes every call.
 */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "xen_internal.h"
#include <xen/api/xen_all.h>

/* ------------------------------------------------------------------ buffers */

typedef struct
{
    char *data;
    size_t len;
    size_t cap;
} buf_t;

static void
buf_grow(buf_t *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *data = realloc(b->data, cap);
    if (data == NULL)
        abort();
    b->data = data;
    b->cap = cap;
}

static void
buf_add(buf_t *b, const char *s, size_t n)
{
    buf_grow(b, n);
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

static void
buf_puts(buf_t *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

static void
buf_printf(buf_t *b, const char *fmt, ...)
{
    char tmp[64];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    if (n > 0)
        buf_add(b, tmp, (size_t)n < sizeof(tmp) ? (size_t)n : sizeof(tmp) - 1);
}

static void
buf_escaped(buf_t *b, const char *s)
{
    if (s == NULL)
        return;
    for (const char *p = s; *p; p++)
    {
        switch (*p)
        {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '\r': buf_puts(b, "&#13;"); break;
        default: buf_add(b, p, 1);
        }
    }
}

static bool
buf_result_func(const void *data, size_t len, void *handle)
{
    buf_add((buf_t *)handle, data, len);
    return true;
}

/* ------------------------------------------------------------------ helpers */

char *
xen_strdup_(const char *in)
{
    if (in == NULL)
        return NULL;
    char *out = strdup(in);
    if (out == NULL)
        abort();
    return out;
}

typedef struct
{
    size_t size;
    char contents[];
} any_container_;

#define CONTENTS_OFFSET offsetof(any_container_, contents)

typedef struct
{
    bool is_record;
    union
    {
        char *handle;
        void *record;
    } u;
} any_opt_;

static size_t
elem_size(const xen_type_ *t)
{
    switch (t->kind)
    {
    case XEN_K_INT: return sizeof(int64_t);
    case XEN_K_FLOAT: return sizeof(double);
    case XEN_K_BOOL: return sizeof(bool);
    case XEN_K_DATETIME: return sizeof(time_t);
    case XEN_K_ENUM: return sizeof(int);
    default: return sizeof(void *);
    }
}

static size_t
entry_size(const xen_type_ *t)
{
    return t->kind == XEN_K_MAP ? t->size : elem_size(t->elem);
}

void *
xen_container_alloc_(const xen_type_ *t, size_t n)
{
    any_container_ *c = calloc(1, CONTENTS_OFFSET + n * entry_size(t));
    if (c == NULL)
        abort();
    c->size = n;
    return c;
}

void
xen_record_free_(const xen_type_ *t, void *record)
{
    if (record == NULL)
        return;
    if (t->has_handle)
        free(*(char **)record);
    for (size_t i = 0; i < t->member_count; i++)
        xen_value_free_(t->members[i].type, (char *)record + t->members[i].offset);
    free(record);
}

void
xen_container_free_(const xen_type_ *t, void *container)
{
    any_container_ *c = container;
    if (c == NULL)
        return;
    size_t esz = entry_size(t);
    for (size_t i = 0; i < c->size; i++)
    {
        char *entry = c->contents + i * esz;
        if (t->kind == XEN_K_MAP)
        {
            xen_value_free_(t->key, entry + t->key_offset);
            xen_value_free_(t->elem, entry + t->val_offset);
        }
        else
            xen_value_free_(t->elem, entry);
    }
    free(c);
}

void
xen_value_free_(const xen_type_ *t, void *storage)
{
    switch (t->kind)
    {
    case XEN_K_STRING:
        free(*(char **)storage);
        break;
    case XEN_K_REF:
    {
        any_opt_ *opt = *(any_opt_ **)storage;
        if (opt == NULL)
            break;
        if (opt->is_record && t->record != NULL)
            xen_record_free_(t->record, opt->u.record);
        else if (!opt->is_record)
            free(opt->u.handle);
        free(opt);
        break;
    }
    case XEN_K_SET:
    case XEN_K_MAP:
        xen_container_free_(t, *(void **)storage);
        break;
    case XEN_K_STRUCT:
        xen_record_free_(t, *(void **)storage);
        break;
    default:
        break;
    }
}

const char *
xen_enum_to_string_(const xen_type_ *t, int value)
{
    if (value < 0 || value >= t->name_count)
        return "undefined";
    return t->names[value];
}

int
xen_enum_from_string_(const xen_type_ *t, const char *str)
{
    for (int i = 0; i < t->name_count; i++)
        if (strcmp(t->names[i], str) == 0)
            return i;
    return t->name_count; /* XEN_..._UNDEFINED */
}

/* ------------------------------------------------------------------ encoding */

static void
format_datetime(time_t t, char out[32])
{
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 32, "%Y%m%dT%H:%M:%SZ", &tm);
}

static void encode_value(buf_t *b, const xen_type_ *t, const void *storage);

static void
encode_key(buf_t *b, const xen_type_ *t, const void *storage)
{
    switch (t->kind)
    {
    case XEN_K_INT:
        buf_printf(b, "%lld", (long long)*(const int64_t *)storage);
        break;
    case XEN_K_ENUM:
        buf_escaped(b, xen_enum_to_string_(t, *(const int *)storage));
        break;
    default:
        buf_escaped(b, *(char *const *)storage);
    }
}

static void
encode_value(buf_t *b, const xen_type_ *t, const void *storage)
{
    switch (t->kind)
    {
    case XEN_K_STRING:
        buf_puts(b, "<value>");
        buf_escaped(b, *(char *const *)storage);
        buf_puts(b, "</value>");
        break;
    case XEN_K_INT:
        buf_printf(b, "<value>%lld</value>", (long long)*(const int64_t *)storage);
        break;
    case XEN_K_FLOAT:
        buf_printf(b, "<value><double>%.17g</double></value>", *(const double *)storage);
        break;
    case XEN_K_BOOL:
        buf_puts(b, *(const bool *)storage ? "<value><boolean>1</boolean></value>"
                                           : "<value><boolean>0</boolean></value>");
        break;
    case XEN_K_DATETIME:
    {
        char text[32];
        format_datetime(*(const time_t *)storage, text);
        buf_puts(b, "<value><dateTime.iso8601>");
        buf_puts(b, text);
        buf_puts(b, "</dateTime.iso8601></value>");
        break;
    }
    case XEN_K_ENUM:
        buf_puts(b, "<value>");
        buf_escaped(b, xen_enum_to_string_(t, *(const int *)storage));
        buf_puts(b, "</value>");
        break;
    case XEN_K_REF:
    {
        const any_opt_ *opt = *(any_opt_ *const *)storage;
        const char *handle = "OpaqueRef:NULL";
        if (opt != NULL && !opt->is_record && opt->u.handle != NULL)
            handle = opt->u.handle;
        else if (opt != NULL && opt->is_record && opt->u.record != NULL &&
                 *(char **)opt->u.record != NULL)
            handle = *(char **)opt->u.record;
        buf_puts(b, "<value>");
        buf_escaped(b, handle);
        buf_puts(b, "</value>");
        break;
    }
    case XEN_K_SET:
    {
        const any_container_ *c = *(any_container_ *const *)storage;
        buf_puts(b, "<value><array><data>");
        size_t esz = elem_size(t->elem);
        for (size_t i = 0; c != NULL && i < c->size; i++)
            encode_value(b, t->elem, c->contents + i * esz);
        buf_puts(b, "</data></array></value>");
        break;
    }
    case XEN_K_MAP:
    {
        const any_container_ *c = *(any_container_ *const *)storage;
        buf_puts(b, "<value><struct>");
        for (size_t i = 0; c != NULL && i < c->size; i++)
        {
            const char *entry = c->contents + i * t->size;
            buf_puts(b, "<member><name>");
            encode_key(b, t->key, entry + t->key_offset);
            buf_puts(b, "</name>");
            encode_value(b, t->elem, entry + t->val_offset);
            buf_puts(b, "</member>");
        }
        buf_puts(b, "</struct></value>");
        break;
    }
    case XEN_K_STRUCT:
    {
        const char *record = *(char *const *)storage;
        buf_puts(b, "<value><struct>");
        for (size_t i = 0; record != NULL && i < t->member_count; i++)
        {
            buf_puts(b, "<member><name>");
            buf_puts(b, t->members[i].key);
            buf_puts(b, "</name>");
            encode_value(b, t->members[i].type, record + t->members[i].offset);
            buf_puts(b, "</member>");
        }
        buf_puts(b, "</struct></value>");
        break;
    }
    }
}

static char *
make_body(const char *method, const char *session_id, const xen_arg_ *args, size_t n,
          size_t *len)
{
    buf_t b = {0};
    buf_puts(&b, "<?xml version=\"1.0\"?>\n<methodCall><methodName>");
    buf_escaped(&b, method);
    buf_puts(&b, "</methodName><params>");
    if (session_id != NULL)
    {
        buf_puts(&b, "<param>");
        encode_value(&b, &xen_type_string_, &session_id);
        buf_puts(&b, "</param>");
    }
    for (size_t i = 0; i < n; i++)
    {
        buf_puts(&b, "<param>");
        encode_value(&b, args[i].type, args[i].value);
        buf_puts(&b, "</param>");
    }
    buf_puts(&b, "</params></methodCall>\n");
    *len = b.len;
    return b.data;
}

/* ------------------------------------------------------------------ errors */

static void
set_error(xen_session *s, int count, const char *const *strings)
{
    if (!s->ok)
        return; /* keep the first error */
    s->ok = false;
    s->error_description = calloc((size_t)count, sizeof(char *));
    if (s->error_description == NULL)
        abort();
    for (int i = 0; i < count; i++)
        s->error_description[i] = xen_strdup_(strings[i]);
    s->error_description_count = count;
}

static void
server_error(xen_session *s, const char *what)
{
    const char *strings[] = {"SERVER_FAULT", what};
    set_error(s, 2, strings);
}

void
xen_session_clear_error(xen_session *session)
{
    for (int i = 0; i < session->error_description_count; i++)
        free(session->error_description[i]);
    free(session->error_description);
    session->error_description = NULL;
    session->error_description_count = 0;
    session->ok = true;
}

/* ------------------------------------------------------------------ decoding */

static xmlNode *
first_element(xmlNode *n)
{
    for (xmlNode *c = n ? n->children : NULL; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

static xmlNode *
next_element(xmlNode *n)
{
    for (xmlNode *c = n->next; c != NULL; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return c;
    return NULL;
}

static bool
named(const xmlNode *n, const char *name)
{
    return n != NULL && strcmp((const char *)n->name, name) == 0;
}

/* The text of a scalar <value>: typed (<string>, <int>, ...) or bare.  Yours to xmlFree. */
static xmlChar *
scalar_text(xmlNode *value, const char **tag)
{
    xmlNode *typed = first_element(value);
    *tag = typed ? (const char *)typed->name : "string";
    xmlChar *text = xmlNodeGetContent(typed ? typed : value);
    return text ? text : xmlStrdup(BAD_CAST "");
}

static bool
parse_datetime(const char *text, time_t *out)
{
    static const char *const formats[] = {"%Y%m%dT%H:%M:%S", "%Y%m%dT%H%M%S", "%Y-%m-%dT%H:%M:%S"};
    for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
    {
        struct tm tm;
        memset(&tm, 0, sizeof(tm));
        if (strptime(text, formats[i], &tm) != NULL)
        {
            *out = timegm(&tm);
            return true;
        }
    }
    return false;
}

static void decode_value(xen_session *s, const xen_type_ *t, xmlNode *value, void *storage);

static void
decode_scalar(xen_session *s, const xen_type_ *t, const char *text, void *storage)
{
    switch (t->kind)
    {
    case XEN_K_STRING:
        *(char **)storage = xen_strdup_(text);
        break;
    case XEN_K_INT:
    {
        char *end;
        *(int64_t *)storage = strtoll(text, &end, 10);
        if (end == text)
            server_error(s, "Expected an Int from the server, but didn't get one");
        break;
    }
    case XEN_K_FLOAT:
        *(double *)storage = strtod(text, NULL);
        break;
    case XEN_K_BOOL:
        *(bool *)storage = strcmp(text, "1") == 0 || strcmp(text, "true") == 0;
        break;
    case XEN_K_DATETIME:
        if (!parse_datetime(text, (time_t *)storage))
            *(time_t *)storage = (time_t)strtoll(text, NULL, 10);
        break;
    case XEN_K_ENUM:
        *(int *)storage = xen_enum_from_string_(t, text);
        break;
    case XEN_K_REF:
    {
        any_opt_ *opt = calloc(1, sizeof(any_opt_));
        if (opt == NULL)
            abort();
        opt->u.handle = xen_strdup_(text);
        *(any_opt_ **)storage = opt;
        break;
    }
    default:
        server_error(s, "Expected a scalar from the server");
    }
}

static void
decode_value(xen_session *s, const xen_type_ *t, xmlNode *value, void *storage)
{
    if (!s->ok)
        return;
    switch (t->kind)
    {
    case XEN_K_SET:
    {
        xmlNode *array = first_element(value);
        xmlNode *data = first_element(array);
        if (!named(array, "array") || (data != NULL && !named(data, "data")))
        {
            server_error(s, "Expected Set from the server, but didn't get it");
            return;
        }
        size_t n = 0;
        for (xmlNode *v = first_element(data); v != NULL; v = next_element(v))
            n += named(v, "value");
        any_container_ *c = xen_container_alloc_(t, n);
        *(any_container_ **)storage = c;
        size_t i = 0, esz = elem_size(t->elem);
        for (xmlNode *v = first_element(data); v != NULL && s->ok; v = next_element(v))
            if (named(v, "value"))
                decode_value(s, t->elem, v, c->contents + esz * i++);
        return;
    }
    case XEN_K_MAP:
    {
        xmlNode *st = first_element(value);
        if (!named(st, "struct"))
        {
            server_error(s, "Expected Map from the server, but didn't get it");
            return;
        }
        size_t n = 0;
        for (xmlNode *m = first_element(st); m != NULL; m = next_element(m))
            n += named(m, "member");
        any_container_ *c = xen_container_alloc_(t, n);
        *(any_container_ **)storage = c;
        size_t i = 0;
        for (xmlNode *m = first_element(st); m != NULL && s->ok; m = next_element(m))
        {
            if (!named(m, "member"))
                continue;
            xmlNode *name = first_element(m);
            xmlNode *v = name ? next_element(name) : NULL;
            if (!named(name, "name") || !named(v, "value"))
            {
                server_error(s, "Malformed Map");
                return;
            }
            char *entry = c->contents + t->size * i++;
            xmlChar *key = xmlNodeGetContent(name);
            decode_scalar(s, t->key, key ? (const char *)key : "", entry + t->key_offset);
            xmlFree(key);
            decode_value(s, t->elem, v, entry + t->val_offset);
        }
        return;
    }
    case XEN_K_STRUCT:
    {
        xmlNode *st = first_element(value);
        if (!named(st, "struct"))
        {
            server_error(s, "Expected Struct from the server, but didn't get it");
            return;
        }
        char *record = calloc(1, t->size);
        if (record == NULL)
            abort();
        *(char **)storage = record;
        for (xmlNode *m = first_element(st); m != NULL && s->ok; m = next_element(m))
        {
            xmlNode *name = first_element(m);
            xmlNode *v = name ? next_element(name) : NULL;
            if (!named(m, "member") || !named(name, "name") || !named(v, "value"))
                continue;
            xmlChar *key = xmlNodeGetContent(name);
            /* Fields this binding does not know (a newer server) are skipped. */
            for (size_t i = 0; key != NULL && i < t->member_count; i++)
                if (strcmp((const char *)key, t->members[i].key) == 0)
                {
                    decode_value(s, t->members[i].type, v, record + t->members[i].offset);
                    break;
                }
            xmlFree(key);
        }
        return;
    }
    default:
    {
        const char *tag;
        xmlChar *text = scalar_text(value, &tag);
        if (strcmp(tag, "array") == 0 || strcmp(tag, "struct") == 0)
            server_error(s, "Expected a scalar from the server, but didn't get one");
        else
            decode_scalar(s, t, (const char *)text, storage);
        xmlFree(text);
    }
    }
}

/* <methodResponse><params><param><value><struct> Status, Value | ErrorDescription */
static void
parse_response(xen_session *s, const char *body, size_t len, const xen_type_ *result_type,
               void *result)
{
    xmlDoc *doc = xmlReadMemory(body, (int)len, NULL, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (doc == NULL)
    {
        server_error(s, "Couldn't parse the server response");
        return;
    }
    xmlNode *root = xmlDocGetRootElement(doc);
    xmlNode *params = first_element(root);
    xmlNode *param = first_element(params);
    xmlNode *value = first_element(param);
    xmlNode *st = first_element(value);
    if (!named(root, "methodResponse") || !named(params, "params") || !named(st, "struct"))
    {
        server_error(s, "Method response is neither result nor fault");
        xmlFreeDoc(doc);
        return;
    }
    xmlNode *status = NULL, *val = NULL, *errors = NULL;
    for (xmlNode *m = first_element(st); m != NULL; m = next_element(m))
    {
        xmlNode *name = first_element(m);
        xmlNode *v = name ? next_element(name) : NULL;
        if (!named(name, "name") || v == NULL)
            continue;
        xmlChar *key = xmlNodeGetContent(name);
        if (key && strcmp((char *)key, "Status") == 0)
            status = v;
        else if (key && strcmp((char *)key, "Value") == 0)
            val = v;
        else if (key && strcmp((char *)key, "ErrorDescription") == 0)
            errors = v;
        xmlFree(key);
    }
    const char *tag;
    xmlChar *status_text = status ? scalar_text(status, &tag) : NULL;
    if (status_text != NULL && strcmp((char *)status_text, "Success") == 0)
    {
        if (result_type != NULL)
        {
            if (val == NULL)
                server_error(s, "Success without a Value");
            else
                decode_value(s, result_type, val, result);
        }
    }
    else if (errors != NULL)
    {
        xen_string_set *set = NULL;
        decode_value(s, &xen_type_xen_string_set_, errors, &set);
        if (s->ok && set != NULL)
            set_error(s, (int)set->size, (const char *const *)set->contents);
        xen_string_set_free(set);
    }
    else
        server_error(s, "Response has neither Success nor ErrorDescription");
    xmlFree(status_text);
    xmlFreeDoc(doc);
}

static void
call_raw(xen_session *s, const char *method, const char *session_id, const xen_arg_ *args,
         size_t n, const xen_type_ *result_type, void *result)
{
    size_t len;
    char *body = make_body(method, session_id, args, n, &len);
    buf_t response = {0};
    int code = s->call_func(body, len, s->handle, &response, buf_result_func);
    free(body);
    if (code != 0)
    {
        char text[24];
        snprintf(text, sizeof(text), "%d", code);
        const char *strings[] = {"TRANSPORT_FAULT", text};
        set_error(s, 2, strings);
    }
    else
        parse_response(s, response.data ? response.data : "", response.len, result_type, result);
    free(response.data);
}

void
xen_call_(xen_session *s, const char *method, const xen_arg_ *args, size_t n,
          const xen_type_ *result_type, void *result)
{
    if (!s->ok)
        return;
    call_raw(s, method, s->session_id, args, n, result_type, result);
    if (!s->ok && result_type != NULL)
    {
        /* A partly decoded result is freed, never half-handed to the caller. */
        xen_value_free_(result_type, result);
        memset(result, 0, elem_size(result_type));
    }
}

/* ------------------------------------------------------------------ generations and caller-owned sets */

bool
xen_generation_equal(const xen_generation *a, const xen_generation *b)
{
    return a->token[0] != '\0' && strcmp(a->token, b->token) == 0;
}

/* The server's current event token: event.from on no classes answers at once with it. */
static bool
current_token(xen_session *s, xen_generation *g)
{
    xen_string_set *none = xen_string_set_alloc(0);
    xen_event_batch *batch = NULL;
    bool ok = xen_event_from(s, &batch, none, "", 0.0);
    xen_string_set_free(none);
    if (ok && batch->token != NULL && strlen(batch->token) < sizeof(g->token))
        strcpy(g->token, batch->token);
    else
        g->token[0] = '\0';
    xen_event_batch_free(batch);
    return ok;
}

#define INTO_ATTEMPTS 8

bool
xen_call_into_(xen_session *s, const char *method, const xen_arg_ *args, size_t n,
               const xen_type_ *set_type, void *buf, size_t capacity, size_t *needed,
               xen_generation *generation)
{
    any_container_ *set = NULL;
    xen_generation before, after;
    for (int attempt = 0; attempt < INTO_ATTEMPTS; attempt++)
    {
        if (generation != NULL && !current_token(s, &before))
            return false;
        xen_call_(s, method, args, n, set_type, &set);
        if (!s->ok)
            return false;
        if (generation == NULL)
            break;
        if (!current_token(s, &after))
        {
            xen_container_free_(set_type, set);
            return false;
        }
        if (xen_generation_equal(&before, &after) || attempt == INTO_ATTEMPTS - 1)
        {
            /* A set that kept changing under us gets no generation ("unknown"). */
            *generation = xen_generation_equal(&before, &after) ? after : (xen_generation){{0}};
            break;
        }
        xen_container_free_(set_type, set);
        set = NULL;
    }
    size_t esz = elem_size(set_type->elem);
    size_t copied = set->size < capacity ? set->size : capacity;
    if (copied > 0)
        memcpy(buf, set->contents, copied * esz);
    for (size_t i = copied; i < set->size; i++)
        xen_value_free_(set_type->elem, set->contents + i * esz);
    *needed = set->size;
    free(set);
    return true;
}

/* ------------------------------------------------------------------ library, versions, uuids */

void
xen_init(void)
{
    xmlInitParser();
}

void
xen_fini(void)
{
}

int
xen_binding_version(void)
{
    return XEN_BINDING_VERSION;
}

xen_version *
xen_get_client_side_version(void)
{
    xen_version *v = calloc(1, sizeof(xen_version));
    if (v == NULL)
        return NULL;
    v->major = XEN_BINDING_VERSION_MAJOR;
    v->minor = XEN_BINDING_VERSION_MINOR;
    v->patch = 0;
    v->extraversion = xen_strdup_("xenia");
    return v;
}

void
xen_version_free(xen_version *version)
{
    if (version == NULL)
        return;
    free(version->extraversion);
    free(version);
}

bool
xen_uuid_parse(const char *uuid, uint8_t bytes[16])
{
    if (uuid == NULL || strlen(uuid) != 36)
        return false;
    int j = 0;
    for (int i = 0; i < 36; i++)
    {
        if (i == 8 || i == 13 || i == 18 || i == 23)
        {
            if (uuid[i] != '-')
                return false;
            continue;
        }
        unsigned int nibble;
        char c = uuid[i];
        if (c >= '0' && c <= '9')
            nibble = (unsigned int)(c - '0');
        else if (c >= 'a' && c <= 'f')
            nibble = (unsigned int)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F')
            nibble = (unsigned int)(c - 'A' + 10);
        else
            return false;
        if (j % 2 == 0)
            bytes[j / 2] = (uint8_t)(nibble << 4);
        else
            bytes[j / 2] |= (uint8_t)nibble;
        j++;
    }
    return true;
}

bool
xen_uuid_pack_(const char *uuid, uint8_t bytes[16])
{
    return xen_uuid_parse(uuid, bytes);
}

void
xen_uuid_format(const uint8_t b[16], char uuid[37])
{
    snprintf(uuid, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
             b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
             b[13], b[14], b[15]);
}

bool
xen_uuid_string_to_bytes(char *uuid, char **bytes)
{
    *bytes = malloc(16);
    if (*bytes == NULL)
        return false;
    if (!xen_uuid_parse(uuid, (uint8_t *)*bytes))
    {
        free(*bytes);
        *bytes = NULL;
        return false;
    }
    return true;
}

bool
xen_uuid_bytes_to_string(char *bytes, char **uuid)
{
    *uuid = malloc(37);
    if (*uuid == NULL)
        return false;
    xen_uuid_format((const uint8_t *)bytes, *uuid);
    return true;
}

void
xen_uuid_free(char *uuid)
{
    free(uuid);
}

void
xen_uuid_bytes_free(char *bytes)
{
    free(bytes);
}

/* ------------------------------------------------------------------ sessions */

static xen_session *
new_session(xen_call_func call_func, void *handle, xen_api_version version)
{
    xen_session *s = calloc(1, sizeof(xen_session));
    if (s == NULL)
        abort();
    s->call_func = call_func;
    s->handle = handle;
    s->ok = true;
    s->api_version = version;
    return s;
}

/* As libxenserver: ask the server's API version through this_host once logged in. */
static void
set_api_version(xen_session *s)
{
    xen_host host = NULL;
    int64_t major = 0, minor = 1;
    if (!xen_session_get_this_host(s, &host, s))
    {
        xen_session_clear_error(s);
        s->api_version = xen_api_unknown_version;
        return;
    }
    xen_host_get_api_version_major(s, &major, host);
    xen_host_get_api_version_minor(s, &minor, host);
    xen_host_free(host);
    if (!s->ok)
        xen_session_clear_error(s);
    s->api_version = xen_api_version_from_int(major, minor);
}

xen_session *
xen_session_login_with_password(xen_call_func call_func, void *handle, const char *uname,
                                const char *pwd, xen_api_version version)
{
    const char *version_text = xen_api_version_to_string(version);
    const xen_arg_ args[] = {
        {&xen_type_string_, &uname},
        {&xen_type_string_, &pwd},
        {&xen_type_string_, &version_text},
    };
    xen_session *s = new_session(call_func, handle, version);
    char *id = NULL;
    call_raw(s, "session.login_with_password", NULL, args, 3, &xen_type_string_, &id);
    s->session_id = id;
    if (s->ok)
        set_api_version(s);
    return s;
}

xen_session *
xen_session_slave_local_login_with_password(xen_call_func call_func, void *handle,
                                            const char *uname, const char *pwd)
{
    const xen_arg_ args[] = {{&xen_type_string_, &uname}, {&xen_type_string_, &pwd}};
    xen_session *s = new_session(call_func, handle, xen_api_latest_version);
    char *id = NULL;
    call_raw(s, "session.slave_local_login_with_password", NULL, args, 2, &xen_type_string_, &id);
    s->session_id = id;
    return s;
}

static void
free_session(xen_session *s)
{
    xen_session_clear_error(s);
    free((char *)s->session_id);
    free(s);
}

void
xen_session_logout(xen_session *session)
{
    if (session->ok && session->session_id != NULL)
        xen_call_(session, "session.logout", NULL, 0, NULL, NULL);
    free_session(session);
}

void
xen_session_local_logout(xen_session *session)
{
    if (session->ok && session->session_id != NULL)
        xen_call_(session, "session.local_logout", NULL, 0, NULL, NULL);
    free_session(session);
}

bool
xen_session_change_password(xen_session *session, const char *old_pwd, const char *new_pwd)
{
    const xen_arg_ args[] = {{&xen_type_string_, &old_pwd}, {&xen_type_string_, &new_pwd}};
    xen_call_(session, "session.change_password", args, 2, NULL, NULL);
    return session->ok;
}

bool
xen_session_logout_subject_identifier(xen_session *session, const char *subject_identifier)
{
    const xen_arg_ args[] = {{&xen_type_string_, &subject_identifier}};
    xen_call_(session, "session.logout_subject_identifier", args, 1, NULL, NULL);
    return session->ok;
}

bool
xen_session_logout_subject_identifier_async(xen_session *session, xen_task *result,
                                            const char *subject_identifier)
{
    const xen_arg_ args[] = {{&xen_type_string_, &subject_identifier}};
    *result = NULL;
    xen_call_(session, "Async.session.logout_subject_identifier", args, 1, &xen_type_string_, result);
    return session->ok;
}

bool
xen_session_get_all_subject_identifiers(xen_session *session, struct xen_string_set **result)
{
    *result = NULL;
    xen_call_(session, "session.get_all_subject_identifiers", NULL, 0, &xen_type_xen_string_set_, result);
    return session->ok;
}

bool
xen_session_get_all_subject_identifiers_async(xen_session *session, xen_task *result)
{
    *result = NULL;
    xen_call_(session, "Async.session.get_all_subject_identifiers", NULL, 0, &xen_type_string_, result);
    return session->ok;
}

static bool
session_get(xen_session *session, const char *method, xen_session *self, const xen_type_ *t,
            void *result)
{
    const xen_arg_ args[] = {{&xen_type_string_, &self->session_id}};
    xen_call_(session, method, args, 1, t, result);
    return session->ok;
}

bool
xen_session_get_uuid(xen_session *session, char **result, xen_session *self_session)
{
    *result = NULL;
    return session_get(session, "session.get_uuid", self_session, &xen_type_string_, result);
}

bool
xen_session_get_this_host(xen_session *session, xen_host *result, xen_session *self_session)
{
    *result = NULL;
    return session_get(session, "session.get_this_host", self_session, &xen_type_string_, result);
}

bool
xen_session_get_this_user(xen_session *session, char **result, xen_session *self_session)
{
    *result = NULL;
    return session_get(session, "session.get_this_user", self_session, &xen_type_string_, result);
}

bool
xen_session_get_last_active(xen_session *session, time_t *result, xen_session *self_session)
{
    return session_get(session, "session.get_last_active", self_session, &xen_type_datetime_, result);
}

extern const xen_type_ xen_type_host_opt_;

static const xen_member_ session_record_members[] = {
    {"uuid", &xen_type_string_, offsetof(xen_session_record, uuid)},
    {"this_host", &xen_type_host_opt_, offsetof(xen_session_record, this_host)},
    {"this_user", &xen_type_string_, offsetof(xen_session_record, this_user)},
    {"last_active", &xen_type_datetime_, offsetof(xen_session_record, last_active)},
};

static const xen_type_ session_record_type = {
    .kind = XEN_K_STRUCT,
    .size = sizeof(xen_session_record),
    .member_count = sizeof(session_record_members) / sizeof(session_record_members[0]),
    .members = session_record_members,
};

xen_session_record *
xen_session_record_alloc(void)
{
    return calloc(1, sizeof(xen_session_record));
}

void
xen_session_record_free(xen_session_record *record)
{
    xen_record_free_(&session_record_type, record);
}

bool
xen_session_get_record(xen_session *session, xen_session_record **result, xen_session *self_session)
{
    *result = NULL;
    return session_get(session, "session.get_record", self_session, &session_record_type, result);
}

/* ------------------------------------------------------------------ scalar descriptors, plain sets, events */

const xen_type_ xen_type_string_ = {.kind = XEN_K_STRING};
const xen_type_ xen_type_int_ = {.kind = XEN_K_INT};
const xen_type_ xen_type_float_ = {.kind = XEN_K_FLOAT};
const xen_type_ xen_type_bool_ = {.kind = XEN_K_BOOL};
const xen_type_ xen_type_datetime_ = {.kind = XEN_K_DATETIME};
const xen_type_ xen_type_xen_string_set_ = {.kind = XEN_K_SET, .elem = &xen_type_string_};
const xen_type_ xen_type_xen_int_set_ = {.kind = XEN_K_SET, .elem = &xen_type_int_};

xen_string_set *
xen_string_set_alloc(size_t size)
{
    return xen_container_alloc_(&xen_type_xen_string_set_, size);
}

void
xen_string_set_free(xen_string_set *set)
{
    xen_container_free_(&xen_type_xen_string_set_, set);
}

xen_int_set *
xen_int_set_alloc(size_t size)
{
    return xen_container_alloc_(&xen_type_xen_int_set_, size);
}

void
xen_int_set_free(xen_int_set *set)
{
    xen_container_free_(&xen_type_xen_int_set_, set);
}

static const xen_member_ event_batch_members[] = {
    {"events", &xen_type_xen_event_record_set_, offsetof(xen_event_batch, events)},
    {"valid_ref_counts", &xen_type_xen_string_int_map_, offsetof(xen_event_batch, valid_ref_counts)},
    {"token", &xen_type_string_, offsetof(xen_event_batch, token)},
};

static const xen_type_ event_batch_type = {
    .kind = XEN_K_STRUCT,
    .size = sizeof(xen_event_batch),
    .member_count = sizeof(event_batch_members) / sizeof(event_batch_members[0]),
    .members = event_batch_members,
};

void
xen_event_batch_free(xen_event_batch *batch)
{
    xen_record_free_(&event_batch_type, batch);
}

bool
xen_event_from(xen_session *session, struct xen_event_batch **result,
               struct xen_string_set *classes, char *token, double timeout)
{
    const xen_arg_ args[] = {
        {&xen_type_xen_string_set_, &classes},
        {&xen_type_string_, &token},
        {&xen_type_float_, &timeout},
    };
    *result = NULL;
    xen_call_(session, "event.from", args, 3, &event_batch_type, result);
    return session->ok;
}
