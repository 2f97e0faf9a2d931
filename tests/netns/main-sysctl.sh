#!/bin/sh
# SPDX-License-Identifier: GPL-2.0-or-later
# Purpose: the optional sysctls (rp-filter loose, arp-ignore, arp-announce, arp-filter): set on
# up, put back on down only while they still hold symroute's value; the dry run prints them.
. "$(dirname "$0")/lib.sh"
sandbox_enter "$@"

topo_two_uplinks
C=/proc/sys/net/ipv4/conf
val() { cat "$C/$1/$2"; }
# The kernel default symroute restores rp_filter to: conf/default's value.
ns_sysctl . net.ipv4.conf.default.rp_filter 0
ns_sysctl . net.ipv4.conf.eth0.rp_filter 0

# Dry run: the sysctl lines, nothing changed.
sr_ok up eth0 -n --rp-filter loose --arp-ignore --arp-announce --arp-filter
note "dry run:"; sr_indent "$SR_OUT"
assert_match "$SR_OUT" '^sysctl -w net\.ipv4\.conf\.eth0\.rp_filter=2$' "dry run: rp_filter line"
assert_match "$SR_OUT" '^sysctl -w net\.ipv4\.conf\.eth0\.arp_ignore=1$' "dry run: arp_ignore line"
assert_match "$SR_OUT" '^sysctl -w net\.ipv4\.conf\.eth0\.arp_announce=2$' "dry run: arp_announce line"
assert_match "$SR_OUT" '^sysctl -w net\.ipv4\.conf\.eth0\.arp_filter=1$' "dry run: arp_filter line"
assert_eq 0 "$(val eth0 rp_filter)" "dry run changes nothing"

# Up: ours.
sr_ok up eth0 --rp-filter loose --arp-ignore --arp-announce --arp-filter
assert_eq "2 1 2 1" "$(val eth0 rp_filter) $(val eth0 arp_ignore) $(val eth0 arp_announce) $(val eth0 arp_filter)" \
	"up: rp_filter=2 arp_ignore=1 arp_announce=2 arp_filter=1"
assert_eq 0 "$(val eth1 rp_filter)" "eth1 is left alone"
# Again: nothing to do.
sr_ok up eth0 --rp-filter loose --arp-ignore --arp-announce --arp-filter -v
assert_not_contains "$SR_ERR" "change(s)" "a repeated up changes nothing"

# Someone sets arp_ignore by hand meanwhile: theirs now.
ns_sysctl . net.ipv4.conf.eth0.arp_ignore 2
# The default changed too: rp_filter goes back to the default's value.
ns_sysctl . net.ipv4.conf.default.rp_filter 1
sr_ok down eth0 --rp-filter loose --arp-ignore --arp-announce --arp-filter
assert_eq "1 2 0 0" "$(val eth0 rp_filter) $(val eth0 arp_ignore) $(val eth0 arp_announce) $(val eth0 arp_filter)" \
	"down: ours restored (rp_filter from conf/default), the hand-set arp_ignore left alone"

# rp-filter keep / knobs off: nothing touched; down without the knobs restores nothing.
ns_sysctl . net.ipv4.conf.eth0.rp_filter 0
sr_ok up eth0 --rp-filter keep
assert_eq 0 "$(val eth0 rp_filter)" "rp-filter keep: untouched"
sr_ok up eth0 --rp-filter loose
assert_eq 2 "$(val eth0 rp_filter)" "rp-filter loose"
sr_ok down eth0
assert_eq 2 "$(val eth0 rp_filter)" "down without the knob: nothing restored"

# Host-wide from the config file.
cfg=$SR_TMP/sysctl.conf
printf '[symroute]\nrp-filter = loose\narp-announce = yes\n' >"$cfg"
ns_sysctl . net.ipv4.conf.eth1.rp_filter 0
sr_ok up eth1 --config "$cfg" --gateway 203.0.113.1
assert_eq "2 2" "$(val eth1 rp_filter) $(val eth1 arp_announce)" "config: rp-filter loose, arp-announce"
sr_ok down eth1 --config "$cfg"
assert_eq "1 0" "$(val eth1 rp_filter) $(val eth1 arp_announce)" "config: restored on down"

# Bad values are refused, naming the value.
sr_expect 2 up eth0 --rp-filter strict
assert_contains "$SR_ERR" "strict" "rp-filter strict: the message names the value"

# "all" and "default" are no interface, but conf/all and conf/default exist: the host-wide
# settings are never written through them (issue 18, finding 5).
ns_sysctl . net.ipv4.conf.all.rp_filter 2
ns_sysctl . net.ipv4.conf.default.rp_filter 2
ns_sysctl . net.ipv4.conf.all.arp_ignore 1
for name in all default; do
	sr_expect 2 down $name --rp-filter loose --arp-ignore
	assert_contains "$SR_ERR" "IFACE='$name': not an interface name" "down $name: refused, naming it"
	sr_expect 2 up $name --rp-filter loose
	assert_contains "$SR_ERR" "IFACE='$name': not an interface name" "up $name: refused, naming it"
	sr_expect 2 down $name -n --rp-filter loose
	assert_not_contains "$SR_OUT" "sysctl" "down $name -n: no sysctl line"
done
assert_eq "2 2 1" "$(val all rp_filter) $(val default rp_filter) $(val all arp_ignore)" \
	"conf/all and conf/default untouched"
# A link that does not exist: nothing under conf/ is written, not even on down.
sr_ok down nosuch0 --rp-filter loose
assert_eq "2 2" "$(val all rp_filter) $(val default rp_filter)" "down of a missing link: untouched"
pass
