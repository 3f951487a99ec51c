"""XenAPI class ``VM_guest_metrics``: The metrics reported by the guest (as opposed to inferred from outside)"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role  # noqa: F401

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('os_version', '(string -> string) map', doc='version of the OS'),
    RUN('PV_drivers_version', '(string -> string) map', doc='version of the PV drivers'),
    RUN('PV_drivers_up_to_date', 'bool', doc='Logically equivalent to PV_drivers_detected'),
    RUN('memory', '(string -> string) map', {}, doc='This field exists but has no data. Use the memory and memory_internal_free RRD data-sources instead.'),
    RUN('disks', '(string -> string) map', {}, doc='This field exists but has no data.'),
    RUN('networks', '(string -> string) map', doc='network configuration'),
    RUN('other', '(string -> string) map', doc='anything else'),
    RUN('last_updated', 'datetime', doc='Time at which this information was last updated'),
    RW('other_config', '(string -> string) map', {}, doc='additional configuration'),
    RUN('live', 'bool', False, doc='True if the guest is sending heartbeat messages via the guest agent'),
    RUN('can_use_hotplug_vbd', 'enum tristate_type', 'unspecified', doc="The guest's statement of whether it supports VBD hotplug, i.e. whether it is capable of responding immediately to instantiation of a new VBD by bringing online a new PV block device. If the guest states that it is not capable, then the VBD plug and unplug operations will not be allowed while the guest is running."),
    RUN('can_use_hotplug_vif', 'enum tristate_type', 'unspecified', doc="The guest's statement of whether it supports VIF hotplug, i.e. whether it is capable of responding immediately to instantiation of a new VIF by bringing online a new PV network device. If the guest states that it is not capable, then the VIF plug and unplug operations will not be allowed while the guest is running."),
    RUN('PV_drivers_detected', 'bool', False, doc="At least one of the guest's devices has successfully connected to the backend."),
)

ENUMS = (
    EnumDef('tristate_type', ('yes', 'no', 'unspecified')),
)

VM_GUEST_METRICS = ClassDef(
    'VM_guest_metrics',
    'The metrics reported by the guest (as opposed to inferred from outside)',
    FIELDS,
    messages=(),
    enums=ENUMS,
)
