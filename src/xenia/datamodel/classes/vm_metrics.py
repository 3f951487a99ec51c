"""XenAPI class ``VM_metrics``: The metrics associated with a VM"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('memory_actual', 'int', doc="Guest's actual memory (bytes)"),
    RUN('VCPUs_number', 'int', doc='Current number of VCPUs'),
    RUN('VCPUs_utilisation', '(int -> float) map', {}, doc="Utilisation for all of guest's current VCPUs"),
    RUN('VCPUs_CPU', '(int -> int) map', doc='VCPU to PCPU map'),
    RUN('VCPUs_params', '(string -> string) map', doc='The live equivalent to VM.VCPUs_params'),
    RUN('VCPUs_flags', '(int -> string set) map', doc='CPU flags (blocked,online,running)'),
    RUN('state', 'string set', doc='The state of the guest, eg blocked, dying etc'),
    RUN('start_time', 'datetime', doc='Time at which this VM was last booted'),
    RUN('install_time', 'datetime', doc='Time at which the VM was installed'),
    RUN('last_updated', 'datetime', doc='Time at which this information was last updated'),
    RW('other_config', '(string -> string) map', {}, doc='additional configuration'),
    RUN('hvm', 'bool', False, doc='hardware virtual machine'),
    RUN('nested_virt', 'bool', False, doc='VM supports nested virtualisation'),
    RUN('nomigrate', 'bool', False, doc="VM is immobile and can't migrate between hosts"),
    RUN('current_domain_type', 'enum domain_type', 'unspecified', doc='The current domain type of the VM (for running,suspended, or paused VMs). The last-known domain type for halted VMs.'),
)

ENUMS = (
    EnumDef('domain_type', ('hvm', 'pv', 'pv_in_pvh', 'pvh', 'unspecified')),
)

VM_METRICS = ClassDef(
    'VM_metrics',
    'The metrics associated with a VM',
    FIELDS,
    messages=(),
    enums=ENUMS,
)
