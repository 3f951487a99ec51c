"""The official XenAPI SDK drives a real xenia daemon: the walk a new user takes."""

from __future__ import annotations

import XenAPI

from xenia.testing.daemon import DaemonProcess


def test_reads_pool_host_sr_network(xapi: XenAPI.Session) -> None:
    pool = xapi.xenapi.pool.get_all()[0]
    pool_rec = xapi.xenapi.pool.get_record(pool)
    host = pool_rec["master"]
    assert host in xapi.xenapi.host.get_all()
    host_rec = xapi.xenapi.host.get_record(host)
    assert host_rec["software_version"]["product_brand"] == "xenia"
    assert [int(x) for x in host_rec["software_version"]["product_version"].split(".")]
    assert host_rec["API_version_major"] == "2"  # int64 arrives as a string over XML-RPC, as from xapi
    assert len(host_rec["host_CPUs"]) >= 1
    assert xapi.API_version.startswith("2.")
    sr = pool_rec["default_SR"]
    assert xapi.xenapi.SR.get_type(sr) == "file"
    pbds = xapi.xenapi.SR.get_PBDs(sr)
    assert xapi.xenapi.PBD.get_host(pbds[0]) == host
    networks = xapi.xenapi.network.get_all_records()
    assert any(rec["bridge"] == "xenbr0" for rec in networks.values())
    session_ref = xapi._session
    assert xapi.xenapi.session.get_this_host(session_ref) == host
    # xapi points the host at its dom0; Xen Orchestra reads host.$control_domain
    dom0 = host_rec["control_domain"]
    assert xapi.xenapi.VM.get_is_control_domain(dom0) is True
    assert xapi.xenapi.VM.get_resident_on(dom0) == host


def test_clone_template_change_fields_add_devices(xapi: XenAPI.Session) -> None:
    api = xapi.xenapi
    template = api.VM.get_by_name_label("Generic Linux BIOS")[0]
    assert api.VM.get_is_a_template(template) is True
    vm = api.VM.clone(template, "web-1")
    api.VM.set_is_a_template(vm, False)
    api.VM.set_name_description(vm, "a web server")
    api.VM.add_to_other_config(vm, "owner", "alice")
    api.VM.add_tags(vm, "web")
    rec = api.VM.get_record(vm)
    assert rec["name_label"] == "web-1"
    assert rec["is_a_template"] is False
    assert rec["power_state"] == "Halted"
    assert rec["other_config"]["owner"] == "alice"
    assert "default_template" not in rec["other_config"]
    assert rec["tags"] == ["web"]

    sr = api.pool.get_default_SR(api.pool.get_all()[0])
    vdi = api.VDI.create({"name_label": "web-1 disk", "SR": sr, "virtual_size": str(8 * 1024**3), "type": "user",
                          "sharable": False, "read_only": False, "other_config": {}})  # fmt: skip
    vbd = api.VBD.create({"VM": vm, "VDI": vdi, "userdevice": "0", "bootable": True, "mode": "RW", "type": "Disk",
                          "empty": False, "other_config": {}, "qos_algorithm_type": "", "qos_algorithm_params": {}})
    network = api.network.get_all()[0]
    vif = api.VIF.create({"device": "0", "network": network, "VM": vm, "MAC": "", "MTU": "1500", "other_config": {},
                          "qos_algorithm_type": "", "qos_algorithm_params": {}})
    assert api.VM.get_VBDs(vm) == [vbd]
    assert api.VM.get_VIFs(vm) == [vif]
    assert api.VDI.get_VBDs(vdi) == [vbd]
    assert vdi in api.SR.get_VDIs(sr)
    assert api.VDI.get_virtual_size(vdi) == str(8 * 1024**3)
    assert len(api.VIF.get_MAC(vif).split(":")) == 6

    where = api.VM.get_all_records_where('field "name__label" = "web-1" and field "is_a_template" = "false"')
    assert list(where) == [vm]
    assert api.VBD.get_all_records_where(f'field "VM" = "{vm}"') == {vbd: api.VBD.get_record(vbd)}

    api.VBD.destroy(vbd)
    api.VIF.destroy(vif)
    api.VDI.destroy(vdi)
    api.VM.destroy(vm)
    assert vm not in api.VM.get_all()
    assert vdi not in api.SR.get_VDIs(sr)


def test_unix_socket_is_root_without_password(daemon: DaemonProcess) -> None:
    url = "http://" + str(daemon.socket_path).replace("/", "_") + "/"
    session = XenAPI.Session(url, transport=XenAPI.UDSTransport())
    session.xenapi.login_with_password("", "")
    pool = session.xenapi.pool.get_all()[0]
    assert session.xenapi.pool.get_master(pool) in session.xenapi.host.get_all()
    assert session.xenapi.session.get_is_local_superuser(session._session) is True
    session.xenapi.session.logout()


def test_session_survives_across_protocols(daemon: DaemonProcess, xapi: XenAPI.Session) -> None:
    from xenia.client import Session

    client = Session(daemon.url)
    hosts = client.call("host.get_all", xapi._session)
    assert hosts == xapi.xenapi.host.get_all()
