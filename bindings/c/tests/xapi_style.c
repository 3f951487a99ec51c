/*
 * A program written for xapi's C SDK (libxenserver), in the style of the SDK's own samples:
 * its own libcurl call_func, login, list the hosts and VMs, then install a VM from a template
 * and power-cycle it.  It uses nothing but libxenserver's interface, so it must compile
 * unchanged against xenia's headers and run against xenia.
 *
 * Usage: xapi_style <url> <username> <password>
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>
#include <libxml/parser.h>

#include <xen/api/xen_all.h>

static char *url;

typedef struct
{
    xen_result_func func;
    void *handle;
} xen_comms;

static size_t
write_func(void *ptr, size_t size, size_t nmemb, xen_comms *comms)
{
    size_t n = size * nmemb;
    return comms->func(ptr, n, comms->handle) ? n : 0;
}

static int
call_func(const void *data, size_t len, void *user_handle, void *result_handle,
          xen_result_func result_func)
{
    (void)user_handle;
    CURL *curl = curl_easy_init();
    if (!curl)
        return -1;
    xen_comms comms = {.func = result_func, .handle = result_handle};
    curl_easy_setopt(curl, CURLOPT_URL, url);
    curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 1L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, &write_func);
    curl_easy_setopt(curl, CURLOPT_WRITEDATA, &comms);
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, data);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)len);
    CURLcode result = curl_easy_perform(curl);
    curl_easy_cleanup(curl);
    return result;
}

static void
print_error(xen_session *session)
{
    fprintf(stderr, "Error: %d", session->error_description_count);
    for (int i = 0; i < session->error_description_count; i++)
        fprintf(stderr, "%s ", session->error_description[i]);
    fprintf(stderr, "\n");
}

static int
power_cycle(xen_session *session)
{
    struct xen_vm_set *templates = NULL;
    if (!xen_vm_get_by_name_label(session, &templates, "Generic Linux BIOS") || templates->size < 1)
    {
        print_error(session);
        xen_vm_set_free(templates);
        return 1;
    }
    xen_vm vm = NULL;
    if (!xen_vm_clone(session, &vm, templates->contents[0], "xapi-style"))
    {
        print_error(session);
        xen_vm_set_free(templates);
        return 1;
    }
    xen_vm_set_free(templates);
    if (!xen_vm_provision(session, vm) || !xen_vm_set_is_a_template(session, vm, false))
    {
        print_error(session);
        xen_vm_free(vm);
        return 1;
    }
    enum xen_vm_power_state state;
    if (!xen_vm_start(session, vm, false, false) || !xen_vm_get_power_state(session, &state, vm))
    {
        print_error(session);
        xen_vm_free(vm);
        return 1;
    }
    printf("started: %s\n", xen_vm_power_state_to_string(state));
    if (!xen_vm_clean_shutdown(session, vm) || !xen_vm_get_power_state(session, &state, vm))
    {
        print_error(session);
        xen_vm_free(vm);
        return 1;
    }
    printf("shut down: %s\n", xen_vm_power_state_to_string(state));

    xen_vm_record *record = NULL;
    if (!xen_vm_get_record(session, &record, vm))
    {
        print_error(session);
        xen_vm_free(vm);
        return 1;
    }
    printf("%s: %s, %zu VBDs, memory_static_max %" PRId64 "\n", record->name_label,
           xen_vm_power_state_to_string(record->power_state), record->vbds->size,
           record->memory_static_max);
    xen_vm_record_free(record);
    xen_vm_destroy(session, vm);
    xen_vm_free(vm);
    return session->ok ? 0 : 1;
}

int
main(int argc, char **argv)
{
    if (argc != 4)
    {
        fprintf(stderr, "Usage: %s <url> <username> <password>\n", argv[0]);
        return 1;
    }
    url = argv[1];
    xmlInitParser();
    xen_init();
    curl_global_init(CURL_GLOBAL_ALL);

    xen_session *session =
        xen_session_login_with_password(call_func, NULL, argv[2], argv[3], xen_api_latest_version);
    if (!session->ok)
    {
        print_error(session);
        xen_session_logout(session);
        return 1;
    }

    struct xen_host_set *hosts = NULL;
    if (!xen_host_get_all(session, &hosts))
    {
        print_error(session);
        return 1;
    }
    for (size_t i = 0; i < hosts->size; i++)
    {
        xen_host_record *host = NULL;
        if (!xen_host_get_record(session, &host, hosts->contents[i]))
        {
            print_error(session);
            return 1;
        }
        printf("host %s: API %" PRId64 ".%" PRId64 ", %s\n", host->name_label, host->api_version_major,
               host->api_version_minor, host->api_version_vendor);
        xen_host_record_free(host);
    }
    xen_host_set_free(hosts);

    xen_vm_xen_vm_record_map *vms = NULL;
    if (!xen_vm_get_all_records(session, &vms))
    {
        print_error(session);
        return 1;
    }
    printf("%zu VMs\n", vms->size);
    xen_vm_xen_vm_record_map_free(vms);

    int rc = power_cycle(session);
    printf("session api version %s\n", xen_api_version_to_string(session->api_version));
    xen_session_logout(session);
    curl_global_cleanup();
    xen_fini();
    xmlCleanupParser();
    return rc;
}
