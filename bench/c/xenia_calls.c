/*
 * Calls/s of one XenAPI call from C through xenia's libxenserver, on one keep-alive connection
 * (the library's libcurl transport).  Prints {"calls": N, "seconds": S} on stdout.
 *
 * Usage: xenia_calls <url|unix:/path> <user> <password> <vm-uuid> <getter|record> <seconds>
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <xen/api/xen_all.h>

static double
now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
fail(xen_session *s, const char *what)
{
    fprintf(stderr, "%s failed:", what);
    for (int i = 0; i < s->error_description_count; i++)
        fprintf(stderr, " %s", s->error_description[i]);
    fprintf(stderr, "\n");
    return 1;
}

int
main(int argc, char **argv)
{
    if (argc != 7)
    {
        fprintf(stderr, "usage: %s <url> <user> <password> <vm-uuid> <getter|record> <seconds>\n", argv[0]);
        return 2;
    }
    bool record = strcmp(argv[5], "record") == 0;
    double seconds = atof(argv[6]);
    xen_init();
    xen_transport *t = xen_transport_new(argv[1]);
    xen_session *s = xen_session_login_with_password(xen_transport_call, t, argv[2], argv[3],
                                                     xen_api_latest_version);
    if (!s->ok)
        return fail(s, "login");
    xen_vm vm = NULL;
    if (!xen_vm_get_by_uuid(s, &vm, argv[4]))
        return fail(s, "VM.get_by_uuid");
    for (int i = 0; i < 50; i++) /* warm up */
    {
        char *label = NULL;
        xen_vm_get_name_label(s, &label, vm);
        free(label);
    }
    long calls = 0;
    double start = now(), end = start;
    while (end - start < seconds)
    {
        for (int i = 0; i < 20; i++)
        {
            if (record)
            {
                xen_vm_record *r = NULL;
                if (!xen_vm_get_record(s, &r, vm))
                    return fail(s, "VM.get_record");
                xen_vm_record_free(r);
            }
            else
            {
                char *label = NULL;
                if (!xen_vm_get_name_label(s, &label, vm))
                    return fail(s, "VM.get_name_label");
                free(label);
            }
        }
        calls += 20;
        end = now();
    }
    printf("{\"calls\": %ld, \"seconds\": %.6f}\n", calls, end - start);
    xen_vm_free(vm);
    xen_session_logout(s);
    xen_transport_free(t);
    xen_fini();
    return 0;
}
