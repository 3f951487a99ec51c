/*
 * xenia's C binding against a real daemon, as a C client uses it: log in over TCP and the unix
 * socket with the library's own transport, enumerate objects and whole records, install a VM and
 * run its life synchronously and with _async plus task polling, create a VM and a VDI from
 * structs, fill caller-owned sets with generations, follow event.from, read errors.
 *
 * Usage: test_binding <http-url> <unix-socket-path> <username> <password> [<https-url> <cafile>]
 * Prints one line per check that failed and exits non-zero if any did.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xen/api/xen_all.h>

static int failures;

#define CHECK(cond)                                                                      \
    do                                                                                   \
    {                                                                                    \
        if (!(cond))                                                                     \
        {                                                                                \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);    \
            failures++;                                                                  \
        }                                                                                \
    } while (0)

/* A call that must succeed: report the server's error and stop the test if it does not. */
#define MUST(session, call)                                                              \
    do                                                                                   \
    {                                                                                    \
        if (!(call))                                                                     \
        {                                                                                \
            fprintf(stderr, "%s:%d: %s failed:", __FILE__, __LINE__, #call);            \
            for (int i_ = 0; i_ < (session)->error_description_count; i_++)              \
                fprintf(stderr, " %s", (session)->error_description[i_]);                \
            fprintf(stderr, "\n");                                                       \
            exit(2);                                                                     \
        }                                                                                \
    } while (0)

static const char *user, *password;

static xen_session *
login(xen_transport *transport)
{
    xen_session *s = xen_session_login_with_password(xen_transport_call, transport, user, password,
                                                     xen_api_latest_version);
    MUST(s, s->ok);
    return s;
}

static void
test_versions(void)
{
    CHECK(XEN_BINDING_CHECK_VERSION());
    CHECK(xen_binding_version() == XEN_BINDING_VERSION);
    xen_version *v = xen_get_client_side_version();
    CHECK(v->major == XEN_BINDING_VERSION_MAJOR && v->minor == XEN_BINDING_VERSION_MINOR);
    xen_version_free(v);
    CHECK(strcmp(xen_api_version_to_string(xen_api_latest_version), "2.21") == 0);
}

static void
test_login_errors(xen_transport *transport)
{
    xen_session *s = xen_session_login_with_password(xen_transport_call, transport, user, "wrong",
                                                     xen_api_latest_version);
    CHECK(!s->ok);
    CHECK(s->error_description_count >= 1 &&
          strcmp(s->error_description[0], "SESSION_AUTHENTICATION_FAILED") == 0);
    xen_session_logout(s);
}

static void
test_session(xen_session *s)
{
    CHECK(s->api_version == xen_api_latest_version);
    char *this_user = NULL;
    MUST(s, xen_session_get_this_user(s, &this_user, s));
    CHECK(this_user != NULL && strncmp(this_user, "OpaqueRef:", 10) == 0); /* a user ref */
    free(this_user);
    xen_session_record *record = NULL;
    MUST(s, xen_session_get_record(s, &record, s));
    CHECK(record->this_host != NULL && !record->this_host->is_record &&
          strncmp(record->this_host->u.handle, "OpaqueRef:", 10) == 0);
    xen_session_record_free(record);
}

static void
test_enumerate(xen_session *s)
{
    xen_host_xen_host_record_map *hosts = NULL;
    MUST(s, xen_host_get_all_records(s, &hosts));
    CHECK(hosts->size == 1);
    for (size_t i = 0; i < hosts->size; i++)
    {
        xen_host_record *h = hosts->contents[i].val;
        CHECK(h->name_label != NULL && h->uuid != NULL);
        CHECK(h->api_version_major == 2 && h->api_version_minor == 21);
        CHECK(h->enabled);
        CHECK(h->cpu_info != NULL);
        uint8_t want[16], got[16];
        CHECK(xen_uuid_parse(h->uuid, want));
        MUST(s, xen_host_get_uuid_bytes(s, got, hosts->contents[i].key));
        CHECK(memcmp(want, got, 16) == 0);
        xen_host by_bytes = NULL;
        MUST(s, xen_host_get_by_uuid_bytes(s, &by_bytes, got));
        CHECK(strcmp(by_bytes, hosts->contents[i].key) == 0);
        xen_host_free(by_bytes);
        char text[37];
        xen_uuid_format(got, text);
        CHECK(strcmp(text, h->uuid) == 0);
    }
    xen_host_xen_host_record_map_free(hosts);

    struct xen_vm_set *vms = NULL;
    MUST(s, xen_vm_get_all(s, &vms));
    CHECK(vms->size >= 1);
    size_t templates = 0;
    for (size_t i = 0; i < vms->size; i++)
    {
        xen_vm_record *r = NULL;
        MUST(s, xen_vm_get_record(s, &r, vms->contents[i]));
        CHECK(r->uuid != NULL && strlen(r->uuid) == 36);
        CHECK(r->handle != NULL && strcmp(r->handle, r->uuid) == 0); /* as libxenserver */
        CHECK(r->power_state != XEN_VM_POWER_STATE_UNDEFINED);
        CHECK(r->other_config != NULL && r->vbds != NULL && r->allowed_operations != NULL);
        templates += r->is_a_template;
        if (r->is_control_domain)
            CHECK(r->resident_on != NULL && strncmp(r->resident_on->u.handle, "OpaqueRef:", 10) == 0);
        xen_vm_record_free(r);
    }
    CHECK(templates >= 1);

    xen_vm_xen_vm_record_map *all = NULL;
    MUST(s, xen_vm_get_all_records(s, &all));
    CHECK(all->size == vms->size);
    xen_vm_xen_vm_record_map_free(all);
    xen_vm_set_free(vms);

    xen_sr_xen_sr_record_map *srs = NULL;
    MUST(s, xen_sr_get_all_records(s, &srs));
    CHECK(srs->size >= 1);
    for (size_t i = 0; i < srs->size; i++)
    {
        CHECK(srs->contents[i].val->name_label != NULL);
        CHECK(srs->contents[i].val->vdis != NULL && srs->contents[i].val->pbds != NULL);
    }
    xen_sr_xen_sr_record_map_free(srs);
}

static void
test_errors(xen_session *s)
{
    xen_vm_record *r = NULL;
    CHECK(!xen_vm_get_record(s, &r, "OpaqueRef:no-such-vm"));
    CHECK(r == NULL);
    CHECK(!s->ok);
    CHECK(s->error_description_count == 3);
    if (s->error_description_count == 3)
    {
        CHECK(strcmp(s->error_description[0], "HANDLE_INVALID") == 0);
        CHECK(strcmp(s->error_description[1], "VM") == 0);
        CHECK(strcmp(s->error_description[2], "OpaqueRef:no-such-vm") == 0);
        CHECK(xen_api_failure_from_string(s->error_description[0]) == XEN_API_FAILURE_HANDLE_INVALID);
    }
    /* A session holding an error makes no further calls until it is cleared. */
    struct xen_vm_set *vms = NULL;
    CHECK(!xen_vm_get_all(s, &vms));
    CHECK(vms == NULL);
    xen_session_clear_error(s);
    CHECK(s->ok);
    CHECK(xen_vm_get_all(s, &vms));
    xen_vm_set_free(vms);
}

static xen_vm
install(xen_session *s, const char *name)
{
    struct xen_vm_set *templates = NULL;
    MUST(s, xen_vm_get_by_name_label(s, &templates, "Generic Linux BIOS"));
    CHECK(templates->size == 1);
    xen_vm vm = NULL;
    MUST(s, xen_vm_clone(s, &vm, templates->contents[0], (char *)name));
    xen_vm_set_free(templates);
    MUST(s, xen_vm_provision(s, vm));
    MUST(s, xen_vm_set_is_a_template(s, vm, false));
    return vm;
}

static enum xen_vm_power_state
power_state(xen_session *s, xen_vm vm)
{
    enum xen_vm_power_state state = XEN_VM_POWER_STATE_UNDEFINED;
    MUST(s, xen_vm_get_power_state(s, &state, vm));
    return state;
}

static void
test_lifecycle_sync(xen_session *s)
{
    xen_vm vm = install(s, "c-sync");
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_HALTED);
    struct xen_vbd_set *vbds = NULL;
    MUST(s, xen_vm_get_vbds(s, &vbds, vm));
    CHECK(vbds->size == 1); /* provisioned from the template's disk */
    xen_vbd_set_free(vbds);

    MUST(s, xen_vm_start(s, vm, false, false));
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_RUNNING);
    /* Starting a running VM: xapi's VM_BAD_POWER_STATE with expected and actual states. */
    CHECK(!xen_vm_start(s, vm, false, false));
    CHECK(s->error_description_count == 4 && strcmp(s->error_description[0], "VM_BAD_POWER_STATE") == 0 &&
          strcmp(s->error_description[2], "halted") == 0 && strcmp(s->error_description[3], "running") == 0);
    xen_session_clear_error(s);

    MUST(s, xen_vm_suspend(s, vm));
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_SUSPENDED);
    MUST(s, xen_vm_resume(s, vm, false, false));
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_RUNNING);
    MUST(s, xen_vm_clean_shutdown(s, vm));
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_HALTED);
    MUST(s, xen_vm_destroy(s, vm));
    xen_vm_free(vm);
}

/* Poll a task until it leaves "pending", as a C client of libxenserver does; destroy it. */
static void
wait_task(xen_session *s, xen_task task)
{
    enum xen_task_status_type status = XEN_TASK_STATUS_TYPE_PENDING;
    for (int i = 0; i < 6000; i++)
    {
        MUST(s, xen_task_get_status(s, &status, task));
        if (status != XEN_TASK_STATUS_TYPE_PENDING)
            break;
        usleep(10000);
    }
    CHECK(status == XEN_TASK_STATUS_TYPE_SUCCESS);
    double progress = 0;
    MUST(s, xen_task_get_progress(s, &progress, task));
    CHECK(progress == 1.0);
    struct xen_string_set *error_info = NULL;
    MUST(s, xen_task_get_error_info(s, &error_info, task));
    CHECK(error_info->size == 0);
    xen_string_set_free(error_info);
    MUST(s, xen_task_destroy(s, task));
    xen_task_free(task);
}

static void
test_lifecycle_async(xen_session *s)
{
    xen_vm vm = install(s, "c-async");
    xen_task task = NULL;
    MUST(s, xen_vm_start_async(s, &task, vm, false, false));
    CHECK(strncmp((char *)task, "OpaqueRef:", 10) == 0);
    wait_task(s, task);
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_RUNNING);
    MUST(s, xen_vm_suspend_async(s, &task, vm));
    wait_task(s, task);
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_SUSPENDED);
    MUST(s, xen_vm_resume_async(s, &task, vm, false, false));
    wait_task(s, task);
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_RUNNING);
    MUST(s, xen_vm_clean_shutdown_async(s, &task, vm));
    wait_task(s, task);
    CHECK(power_state(s, vm) == XEN_VM_POWER_STATE_HALTED);

    /* A failing async call: the task fails and carries the error. */
    MUST(s, xen_vm_suspend_async(s, &task, vm));
    enum xen_task_status_type status = XEN_TASK_STATUS_TYPE_PENDING;
    for (int i = 0; i < 6000 && status == XEN_TASK_STATUS_TYPE_PENDING; i++)
    {
        MUST(s, xen_task_get_status(s, &status, task));
        if (status == XEN_TASK_STATUS_TYPE_PENDING)
            usleep(10000);
    }
    CHECK(status == XEN_TASK_STATUS_TYPE_FAILURE);
    struct xen_string_set *error_info = NULL;
    MUST(s, xen_task_get_error_info(s, &error_info, task));
    CHECK(error_info->size >= 1 && strcmp(error_info->contents[0], "VM_BAD_POWER_STATE") == 0);
    xen_string_set_free(error_info);
    MUST(s, xen_task_destroy(s, task));
    xen_task_free(task);
    MUST(s, xen_vm_destroy(s, vm));
    xen_vm_free(vm);
}

static void
test_create_from_structs(xen_session *s)
{
    xen_vm_record *record = xen_vm_record_alloc();
    record->name_label = strdup("c-from-struct");
    record->name_description = strdup("created from a xen_vm_record");
    record->memory_static_max = 512LL << 20;
    record->memory_dynamic_max = 512LL << 20;
    record->memory_dynamic_min = 256LL << 20;
    record->memory_static_min = 128LL << 20;
    record->vcpus_max = 2;
    record->vcpus_at_startup = 1;
    record->actions_after_shutdown = XEN_ON_NORMAL_EXIT_DESTROY;
    record->actions_after_reboot = XEN_ON_NORMAL_EXIT_RESTART;
    record->actions_after_crash = XEN_ON_CRASH_BEHAVIOUR_RESTART;
    record->other_config = xen_string_string_map_alloc(1);
    record->other_config->contents[0].key = strdup("made-by");
    record->other_config->contents[0].val = strdup("c");
    xen_vm vm = NULL;
    MUST(s, xen_vm_create(s, &vm, record));
    xen_vm_record_free(record);

    xen_vm_record *back = NULL;
    MUST(s, xen_vm_get_record(s, &back, vm));
    CHECK(strcmp(back->name_label, "c-from-struct") == 0);
    CHECK(back->memory_static_max == 512LL << 20 && back->memory_dynamic_min == 256LL << 20);
    CHECK(back->vcpus_max == 2 && back->vcpus_at_startup == 1);
    CHECK(back->actions_after_crash == XEN_ON_CRASH_BEHAVIOUR_RESTART);
    CHECK(back->power_state == XEN_VM_POWER_STATE_HALTED);
    int found = 0;
    for (size_t i = 0; i < back->other_config->size; i++)
        found += strcmp(back->other_config->contents[i].key, "made-by") == 0 &&
                 strcmp(back->other_config->contents[i].val, "c") == 0;
    CHECK(found == 1);
    xen_vm_record_free(back);

    struct xen_sr_set *srs = NULL;
    MUST(s, xen_sr_get_by_name_label(s, &srs, "Local storage"));
    CHECK(srs->size == 1);
    xen_vdi_record *vdi_record = xen_vdi_record_alloc();
    vdi_record->name_label = strdup("c-disk");
    vdi_record->sr = xen_sr_record_opt_alloc();
    vdi_record->sr->u.handle = strdup((char *)srs->contents[0]);
    vdi_record->virtual_size = 1LL << 30;
    vdi_record->type = XEN_VDI_TYPE_USER;
    xen_vdi vdi = NULL;
    MUST(s, xen_vdi_create(s, &vdi, vdi_record));
    xen_vdi_record_free(vdi_record);
    xen_vdi_record *vdi_back = NULL;
    MUST(s, xen_vdi_get_record(s, &vdi_back, vdi));
    CHECK(strcmp(vdi_back->name_label, "c-disk") == 0);
    CHECK(vdi_back->virtual_size == 1LL << 30);
    CHECK(vdi_back->type == XEN_VDI_TYPE_USER);
    CHECK(strcmp(vdi_back->sr->u.handle, (char *)srs->contents[0]) == 0);
    xen_vdi_record_free(vdi_back);
    xen_sr_set_free(srs);

    MUST(s, xen_vdi_destroy(s, vdi));
    xen_vdi_free(vdi);
    MUST(s, xen_vm_destroy(s, vm));
    xen_vm_free(vm);
}

static void
test_caller_owned_sets(xen_session *s)
{
    struct xen_vm_set *vms = NULL;
    MUST(s, xen_vm_get_all(s, &vms));

    xen_vm buf[256];
    size_t needed = 0;
    xen_generation g1, g2, g3;
    MUST(s, xen_vm_get_all_into(s, buf, 256, &needed, &g1));
    CHECK(needed == vms->size);
    CHECK(g1.token[0] != '\0');
    for (size_t i = 0; i < needed && i < 256; i++)
    {
        int seen = 0;
        for (size_t j = 0; j < vms->size; j++)
            seen += strcmp(buf[i], (char *)vms->contents[j]) == 0;
        CHECK(seen == 1);
        xen_vm_free(buf[i]);
    }

    /* Too small a buffer: what fits, and the size needed. */
    xen_vm one[1];
    MUST(s, xen_vm_get_all_into(s, one, 1, &needed, &g2));
    CHECK(needed == vms->size);
    CHECK(xen_generation_equal(&g1, &g2)); /* nothing changed between the two reads */
    xen_vm_free(one[0]);
    MUST(s, xen_vm_get_all_into(s, NULL, 0, &needed, NULL));
    CHECK(needed == vms->size);

    /* A change in between: the generation moves. */
    MUST(s, xen_vm_set_name_description(s, vms->contents[0], "touched"));
    MUST(s, xen_vm_get_all_into(s, buf, 256, &needed, &g3));
    CHECK(!xen_generation_equal(&g2, &g3));
    for (size_t i = 0; i < needed && i < 256; i++)
        xen_vm_free(buf[i]);

    /* Sets of enums too. */
    enum xen_vm_operations ops[64];
    MUST(s, xen_vm_get_allowed_operations_into(s, ops, 64, &needed, NULL, vms->contents[0]));
    CHECK(needed <= 64);
    for (size_t i = 0; i < needed; i++)
        CHECK(ops[i] != XEN_VM_OPERATIONS_UNDEFINED);
    xen_vm_set_free(vms);
}

static void
test_events(xen_session *s)
{
    struct xen_string_set *classes = xen_string_set_alloc(1);
    classes->contents[0] = strdup("vm");
    xen_event_batch *batch = NULL;
    MUST(s, xen_event_from(s, &batch, classes, "", 0.0));
    CHECK(batch->token != NULL && batch->token[0] != '\0');
    CHECK(batch->events->size >= 1); /* the empty token: every VM, as "add" */
    for (size_t i = 0; i < batch->events->size; i++)
        CHECK(strcmp(batch->events->contents[i]->XEN_CLAZZ, "vm") == 0);
    char *token = strdup(batch->token);
    xen_event_batch_free(batch);

    struct xen_vm_set *vms = NULL;
    MUST(s, xen_vm_get_by_name_label(s, &vms, "Generic Linux BIOS"));
    CHECK(vms->size == 1);
    MUST(s, xen_vm_set_name_description(s, vms->contents[0], "watched"));
    MUST(s, xen_event_from(s, &batch, classes, token, 10.0));
    int seen = 0;
    for (size_t i = 0; i < batch->events->size; i++)
    {
        xen_event_record *e = batch->events->contents[i];
        if (strcmp(e->ref, (char *)vms->contents[0]) == 0 && e->operation == XEN_EVENT_OPERATION_MOD)
            seen++;
    }
    CHECK(seen == 1);
    CHECK(strcmp(batch->token, token) > 0);
    xen_event_batch_free(batch);
    free(token);
    xen_vm_set_free(vms);
    xen_string_set_free(classes);
}

int
main(int argc, char **argv)
{
    if (argc != 5 && argc != 7)
    {
        fprintf(stderr, "Usage: %s <http-url> <unix-socket> <user> <password> [<https-url> <cafile>]\n",
                argv[0]);
        return 1;
    }
    user = argv[3];
    password = argv[4];
    xen_init();
    test_versions();

    xen_transport *tcp = xen_transport_new(argv[1]);
    char unix_url[4096];
    snprintf(unix_url, sizeof(unix_url), "unix:%s", argv[2]);
    xen_transport *local = xen_transport_new(unix_url);

    test_login_errors(tcp);
    xen_session *s = login(tcp);
    xen_session *ls = login(local);
    test_session(ls);
    test_enumerate(ls);
    test_session(s);
    test_enumerate(s);
    test_errors(s);
    test_lifecycle_sync(s);
    test_lifecycle_async(ls);
    test_create_from_structs(s);
    test_caller_owned_sets(s);
    test_events(s);

    if (argc == 7)
    {
        xen_transport *tls = xen_transport_new(argv[5]);
        xen_transport_set_tls(tls, true, argv[6]);
        xen_session *ts = login(tls);
        test_session(ts);
        test_enumerate(ts);
        xen_session_logout(ts);
        xen_transport_free(tls);
    }

    xen_session_logout(s);
    xen_session_logout(ls);
    xen_transport_free(tcp);
    xen_transport_free(local);
    xen_fini();
    if (failures == 0)
        printf("all checks passed\n");
    return failures ? 1 : 0;
}
