"""XenAPI class ``PIF``: A physical network interface (note separate VLANs are represented as several PIFs)"""

from xenia.datamodel.meta import INS, RUN, RW, ClassDef, EnumDef, Role

FIELDS = (
    RUN('uuid', 'string', doc='Unique identifier/object reference'),
    INS('device', 'string', doc='machine-readable name of the interface (e.g. eth0)'),
    INS('network', 'network ref', doc='virtual network to which this pif is connected'),
    INS('host', 'host ref', doc='physical machine to which this pif is connected'),
    INS('MAC', 'string', doc='ethernet MAC address of physical interface'),
    INS('MTU', 'int', doc='MTU in octets'),
    INS('VLAN', 'int', doc='VLAN tag for all traffic passing through this interface'),
    RUN('metrics', 'PIF_metrics ref', doc='metrics associated with this PIF'),
    RUN('physical', 'bool', False, doc='true if this represents a physical network interface'),
    RUN('currently_attached', 'bool', True, doc='true if this interface is online'),
    RUN('ip_configuration_mode', 'enum ip_configuration_mode', 'None', doc='Sets if and how this interface gets an IP address'),
    RUN('IP', 'string', '', doc='IP address'),
    RUN('netmask', 'string', '', doc='IP netmask'),
    RUN('gateway', 'string', '', doc='IP gateway'),
    RUN('DNS', 'string', '', doc='Comma separated list of the IP addresses of the DNS servers to use'),
    RUN('bond_slave_of', 'Bond ref', 'Null', doc='Indicates which bond this interface is part of'),
    RUN('bond_master_of', 'Bond ref set', doc='Indicates this PIF represents the results of a bond'),
    RUN('VLAN_master_of', 'VLAN ref', 'Null', doc='Indicates which VLAN this interface receives untagged traffic from'),
    RUN('VLAN_slave_of', 'VLAN ref set', doc='Indicates which VLANs this interface transmits tagged traffic to'),
    RUN('management', 'bool', False, doc='Indicates whether the control software is listening for connections on this interface'),
    RW('other_config', '(string -> string) map', {}, role=Role.POOL_OPERATOR, doc='Additional configuration'),
    RUN('disallow_unplug', 'bool', False, doc="Prevent this PIF from being unplugged; set this to notify the management tool-stack that the PIF has a special use and should not be unplugged under any circumstances (e.g. because you're running storage traffic over it)"),
    RUN('tunnel_access_PIF_of', 'tunnel ref set', doc='Indicates to which tunnel this PIF gives access'),
    RUN('tunnel_transport_PIF_of', 'tunnel ref set', doc='Indicates to which tunnel this PIF provides transport'),
    RUN('ipv6_configuration_mode', 'enum ipv6_configuration_mode', 'None', doc='Sets if and how this interface gets an IPv6 address'),
    RUN('IPv6', 'string set', [], doc='IPv6 address'),
    RUN('ipv6_gateway', 'string', '', doc='IPv6 gateway'),
    RUN('primary_address_type', 'enum primary_address_type', 'IPv4', doc='Which protocol should define the primary address of this interface'),
    INS('managed', 'bool', True, doc='Indicates whether the interface is managed by xapi. If it is not, then xapi will not configure the interface, the commands PIF.plug/unplug/reconfigure_ip(v6) cannot be used, nor can the interface be bonded or have VLANs based on top through xapi.'),
    RUN('properties', '(string -> string) map', {}, doc='Additional configuration properties for the interface.'),
    RUN('capabilities', 'string set', [], doc='Additional capabilities on the interface.'),
    RUN('igmp_snooping_status', 'enum pif_igmp_status', 'unknown', doc='The IGMP snooping status of the corresponding network bridge'),
    RUN('sriov_physical_PIF_of', 'network_sriov ref set', doc='Indicates which network_sriov this interface is physical of'),
    RUN('sriov_logical_PIF_of', 'network_sriov ref set', doc='Indicates which network_sriov this interface is logical of'),
    RUN('PCI', 'PCI ref', 'OpaqueRef:NULL', doc='Link to underlying PCI device'),
)

ENUMS = (
    EnumDef('pif_igmp_status', ('enabled', 'disabled', 'unknown')),
    EnumDef('ip_configuration_mode', ('None', 'DHCP', 'Static')),
    EnumDef('ipv6_configuration_mode', ('None', 'DHCP', 'Static', 'Autoconf')),
    EnumDef('primary_address_type', ('IPv4', 'IPv6')),
)

PIF = ClassDef(
    'PIF',
    'A physical network interface (note separate VLANs are represented as several PIFs)',
    FIELDS,
    messages=(),
    enums=ENUMS,
)
