"""Pools of xenia hosts sharing one db in etcd: a local etcd for trying it, host liveness, HA."""
