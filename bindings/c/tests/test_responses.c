/*
 * The runtime's answer to responses a correct server never sends: a user's own call_func hands
 * the library canned bodies (not XML, truncated, wrong shapes, transport errors) and every call
 * must fail cleanly with SERVER_FAULT or TRANSPORT_FAULT, leave *result NULL and leak nothing;
 * well-formed answers with fields this binding does not know must still decode.  Run under
 * ASan+UBSan and valgrind.  No server: the daemon never produces these bodies.
 *
 * Usage: test_responses
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <xen/api/xen_all.h>

static int failures;

#define CHECK(cond)                                                                   \
    do                                                                                \
    {                                                                                 \
        if (!(cond))                                                                  \
        {                                                                             \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                               \
        }                                                                             \
    } while (0)

typedef struct
{
    const char *body; /* the response to hand back */
    int code;         /* non-zero: a transport error */
    char *request;    /* the last request, for checks */
} canned;

static int
canned_call(const void *data, size_t len, void *user_handle, void *result_handle,
            xen_result_func result_func)
{
    canned *c = user_handle;
    free(c->request);
    c->request = strndup(data, len);
    if (c->code)
        return c->code;
    /* in two pieces, as a transport hands over what it receives */
    size_t n = strlen(c->body), half = n / 2;
    if (!result_func(c->body, half, result_handle) || !result_func(c->body + half, n - half, result_handle))
        return -1;
    return 0;
}

#define OK_HEAD "<?xml version='1.0'?><methodResponse><params><param><value><struct>" \
                "<member><name>Status</name><value>Success</value></member><member><name>Value</name>"
#define OK_TAIL "</member></struct></value></param></params></methodResponse>"

static xen_session *
session_with(canned *c)
{
    c->body = OK_HEAD "<value>OpaqueRef:s</value>" OK_TAIL;
    xen_session *s = xen_session_login_with_password(canned_call, c, "u", "p", xen_api_latest_version);
    /* the api version lookup that follows login got strings for ints; login itself succeeded */
    CHECK(s->ok);
    CHECK(strcmp(s->session_id, "OpaqueRef:s") == 0);
    return s;
}

static void
expect_fault(xen_session *s, const char *code)
{
    CHECK(!s->ok);
    CHECK(s->error_description_count >= 1 && strcmp(s->error_description[0], code) == 0);
    xen_session_clear_error(s);
}

int
main(void)
{
    xen_init();
    canned c = {0};
    xen_session *s = session_with(&c);
    /* then the API version, as libxenserver asks it; "OpaqueRef:s" is no int, so it stays unknown */
    CHECK(strstr(c.request, "<methodName>host.get_API_version_major</methodName>") != NULL);
    CHECK(s->api_version == xen_api_unknown_version);

    /* Not XML at all. */
    c.body = "this is not xml";
    xen_vm_record *record = NULL;
    CHECK(!xen_vm_get_record(s, &record, "OpaqueRef:x"));
    CHECK(record == NULL);
    expect_fault(s, "SERVER_FAULT");

    /* Truncated in the middle of a record. */
    c.body = OK_HEAD "<value><struct><member><name>uuid</name><value>abc</value></member><member><name>name_label";
    CHECK(!xen_vm_get_record(s, &record, "OpaqueRef:x"));
    CHECK(record == NULL);
    expect_fault(s, "SERVER_FAULT");

    /* A string where a set is expected, deep inside a record: the half-built record is freed. */
    c.body = OK_HEAD "<value><struct><member><name>uuid</name><value>abc</value></member>"
                     "<member><name>other_config</name><value><struct><member><name>k</name><value>v</value></member></struct></value></member>"
                     "<member><name>VBDs</name><value>not a set</value></member></struct></value>" OK_TAIL;
    CHECK(!xen_vm_get_record(s, &record, "OpaqueRef:x"));
    CHECK(record == NULL);
    expect_fault(s, "SERVER_FAULT");

    /* A struct where a string is expected. */
    c.body = OK_HEAD "<value><struct></struct></value>" OK_TAIL;
    char *label = NULL;
    CHECK(!xen_vm_get_name_label(s, &label, "OpaqueRef:x"));
    CHECK(label == NULL);
    expect_fault(s, "SERVER_FAULT");

    /* Neither Success nor an error description. */
    c.body = "<methodResponse><params><param><value><struct><member><name>Status</name>"
             "<value>Confused</value></member></struct></value></param></params></methodResponse>";
    CHECK(!xen_vm_get_name_label(s, &label, "OpaqueRef:x"));
    expect_fault(s, "SERVER_FAULT");

    /* The transport fails. */
    c.code = 7;
    CHECK(!xen_vm_get_name_label(s, &label, "OpaqueRef:x"));
    CHECK(s->error_description_count == 2 && strcmp(s->error_description[1], "7") == 0);
    expect_fault(s, "TRANSPORT_FAULT");
    c.code = 0;

    /* A server error with its parameters. */
    c.body = "<methodResponse><params><param><value><struct><member><name>Status</name><value>Failure</value>"
             "</member><member><name>ErrorDescription</name><value><array><data><value>HANDLE_INVALID</value>"
             "<value>VM</value><value>OpaqueRef:x</value></data></array></value></member></struct></value>"
             "</param></params></methodResponse>";
    CHECK(!xen_vm_get_name_label(s, &label, "OpaqueRef:x"));
    CHECK(s->error_description_count == 3 && strcmp(s->error_description[2], "OpaqueRef:x") == 0);
    expect_fault(s, "HANDLE_INVALID");

    /* A newer server: fields and enum values this binding does not know decode all the same;
       text typed as <string> and escaped characters too. */
    c.body = OK_HEAD "<value><struct><member><name>uuid</name><value><string>a&amp;b&lt;c</string></value></member>"
                     "<member><name>a_field_from_the_future</name><value><array><data/></array></value></member>"
                     "<member><name>power_state</name><value>Hibernating</value></member>"
                     "<member><name>VCPUs_max</name><value>4</value></member>"
                     "<member><name>is_a_template</name><value><boolean>1</boolean></value></member>"
                     "<member><name>snapshot_time</name><value><dateTime.iso8601>20240102T03:04:05Z</dateTime.iso8601></value></member>"
                     "<member><name>HVM_shadow_multiplier</name><value><double>1.5</double></value></member>"
                     "</struct></value>" OK_TAIL;
    CHECK(xen_vm_get_record(s, &record, "OpaqueRef:x"));
    if (record != NULL)
    {
        CHECK(strcmp(record->uuid, "a&b<c") == 0);
        CHECK(strcmp(record->handle, "a&b<c") == 0);
        CHECK(record->power_state == XEN_VM_POWER_STATE_UNDEFINED);
        CHECK(record->vcpus_max == 4);
        CHECK(record->is_a_template);
        CHECK(record->snapshot_time == 1704164645);
        CHECK(record->hvm_shadow_multiplier == 1.5);
        CHECK(record->name_label == NULL); /* not sent */
    }
    xen_vm_record_free(record);

    /* Requests escape what they carry, and ints, bools and floats go out as xapi spells them. */
    c.body = OK_HEAD "<value></value>" OK_TAIL;
    CHECK(xen_vm_set_name_label(s, "OpaqueRef:x", "<a&b>"));
    CHECK(strstr(c.request, "<value>&lt;a&amp;b&gt;</value>") != NULL);
    CHECK(xen_vm_set_vcpus_max(s, "OpaqueRef:x", 9000000000LL));
    CHECK(strstr(c.request, "<value>9000000000</value>") != NULL);
    CHECK(xen_vm_set_is_a_template(s, "OpaqueRef:x", true));
    CHECK(strstr(c.request, "<boolean>1</boolean>") != NULL);
    c.body = OK_HEAD "<value><struct><member><name>events</name><value><array><data/></array></value></member>"
                     "<member><name>valid_ref_counts</name><value><struct><member><name>vm</name><value>3</value>"
                     "</member></struct></value></member><member><name>token</name><value>t1</value></member>"
                     "</struct></value>" OK_TAIL;
    xen_string_set *classes = xen_string_set_alloc(1);
    classes->contents[0] = strdup("vm");
    xen_event_batch *batch = NULL;
    CHECK(xen_event_from(s, &batch, classes, "t0", 2.5));
    CHECK(strstr(c.request, "<double>2.5</double>") != NULL);
    CHECK(strstr(c.request, "<array><data><value>vm</value></data></array>") != NULL);
    if (batch != NULL)
    {
        CHECK(batch->events->size == 0);
        CHECK(batch->valid_ref_counts->size == 1 && batch->valid_ref_counts->contents[0].val == 3);
        CHECK(strcmp(batch->token, "t1") == 0);
    }
    xen_event_batch_free(batch);
    xen_string_set_free(classes);
    c.body = OK_HEAD "<value></value>" OK_TAIL;
    CHECK(xen_vm_set_actions_after_crash(s, "OpaqueRef:x", XEN_ON_CRASH_BEHAVIOUR_COREDUMP_AND_RESTART));
    CHECK(strstr(c.request, "<value>coredump_and_restart</value>") != NULL);

    free(c.request);
    c.request = NULL;
    c.body = OK_HEAD "<value></value>" OK_TAIL;
    xen_session_logout(s);
    free(c.request);
    xen_fini();
    if (failures == 0)
        printf("all checks passed\n");
    return failures ? 1 : 0;
}
