"""XenAPI class ``VBD``: A virtual block device"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Message, P, Role

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    RUN('allowed_operations', 'enum vbd_operations set', [], doc='list of the operations allowed in this state. This list is advisory only and the server state may have changed by the time this field is read by a client.'),
    RUN('current_operations', '(string -> enum vbd_operations) map', {}, doc='links each of the running tasks using this object (by reference) to a current_operation enum which describes the nature of the task.'),
    INS('VM', 'VM ref', doc='the virtual machine'),
    INS('VDI', 'VDI ref', doc='the virtual disk'),
    INS('device', 'string', '', doc='device seen by the guest e.g. hda1'),
    RW('userdevice', 'string', doc='user-friendly device name e.g. 0,1,2,etc.'),
    RW('bootable', 'bool', doc='true if this VBD is bootable'),
    INS('mode', 'enum vbd_mode', doc='the mode the VBD should be mounted with'),
    RW('type', 'enum vbd_type', doc='how the VBD will appear to the guest (e.g. disk or CD)'),
    RW('unpluggable', 'bool', True, doc='true if this VBD will support hot-unplug'),
    RUN('storage_lock', 'bool', doc='true if a storage level lock was acquired'),
    INS('empty', 'bool', doc='if true this represents an empty drive'),
    RW('other_config', '(string -> string) map', doc='additional configuration'),
    INS('currently_attached', 'bool', False, doc='is the device currently attached (erased on reboot)'),
    RUN('status_code', 'int', doc='error/success code associated with last attach-operation (erased on reboot)'),
    RUN('status_detail', 'string', doc='error/success information associated with last attach-operation status (erased on reboot)'),
    RUN('runtime_properties', '(string -> string) map', doc='Device runtime properties'),
    RW('qos_algorithm_type', 'string', doc='QoS algorithm to use'),
    RW('qos_algorithm_params', '(string -> string) map', doc='parameters for chosen QoS algorithm'),
    RUN('qos_supported_algorithms', 'string set', doc='supported QoS algorithms for this VBD'),
    RUN('metrics', 'VBD_metrics ref', 'OpaqueRef:NULL', doc='metrics associated with this VBD'),
)

ENUMS = (
    EnumDef('vbd_operations', ('attach', 'eject', 'insert', 'plug', 'unplug', 'unplug_force', 'pause', 'unpause')),
    EnumDef('vbd_type', ('CD', 'Disk', 'Floppy')),
    EnumDef('vbd_mode', ('RO', 'RW')),
)

VBD = ClassDef(
    'VBD',
    'A virtual block device',
    FIELDS,
    messages=(
    Message(
        'plug',
        (P('VBD ref', 'self', 'The VBD to hotplug'),),
        result='void',
        doc='Hotplug the specified VBD, dynamically attaching it to the running VM',
        min_role=Role.VM_ADMIN,
        is_async=True,
    ),
    Message(
        'unplug',
        (P('VBD ref', 'self', 'The VBD to hot-unplug'),),
        result='void',
        doc='Hot-unplug the specified VBD, dynamically unattaching it from the running VM',
        errors=('DEVICE_DETACH_REJECTED', 'DEVICE_ALREADY_DETACHED',),
        min_role=Role.VM_ADMIN,
        is_async=True,
    ),
    Message(
        'unplug_force',
        (P('VBD ref', 'self', 'The VBD to forcibly unplug'),),
        result='void',
        doc='Forcibly unplug the specified VBD',
        min_role=Role.VM_ADMIN,
        is_async=True,
    ),
    Message(
        'insert',
        (P('VBD ref', 'vbd', 'The vbd representing the CDROM-like device'), P('VDI ref', 'vdi', "The new VDI to 'insert'")),
        result='void',
        doc='Insert new media into the device',
        errors=('VBD_NOT_REMOVABLE_MEDIA', 'VBD_NOT_EMPTY',),
        min_role=Role.VM_OPERATOR,
        is_async=True,
    ),
    Message(
        'eject',
        (P('VBD ref', 'vbd', 'The vbd representing the CDROM-like device'),),
        result='void',
        doc='Remove the media from the device and leave it empty',
        errors=('VBD_NOT_REMOVABLE_MEDIA', 'VBD_IS_EMPTY',),
        min_role=Role.VM_OPERATOR,
        is_async=True,
    ),
    ),
    enums=ENUMS,
    has_constructor=True,
    ctor_role=Role.VM_ADMIN,
    has_destructor=True,
)
