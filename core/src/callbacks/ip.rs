//! IP allow-list entries for the callback receiver: exact addresses and CIDR ranges, IPv4 and
//! IPv6, parsed once when the options are built.

use std::fmt;
use std::net::IpAddr;

/// One allow-list entry: `203.0.113.7`, `10.0.0.0/8`, `2001:db8::1` or `2001:db8::/32`.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct IpRange {
    /// The network address (host bits zero).
    network: IpAddr,
    /// Prefix length: 0-32 for IPv4, 0-128 for IPv6.
    prefix: u8,
}

impl IpRange {
    /// Parses an address or a CIDR range. A range with host bits set (`10.1.2.3/8`) is refused
    /// as a likely typo rather than silently widened or narrowed.
    pub(crate) fn parse(text: &str) -> Result<Self, String> {
        let text = text.trim();
        let (addr, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let network: IpAddr = addr.parse().map_err(|_| format!("`{text}` is not an IP address or CIDR range"))?;
        let max = max_prefix(network);
        let prefix = match prefix {
            None => max,
            Some(p) => match p.parse::<u8>() {
                // `parse` accepts a leading `+`; a prefix is digits only.
                Ok(n) if n <= max && p.bytes().all(|b| b.is_ascii_digit()) => n,
                _ => return Err(format!("`{text}` has a prefix length that is not 0-{max}")),
            },
        };
        if bits(network) & !mask(network, prefix) != 0 {
            return Err(format!("`{text}` has host bits set after the /{prefix} prefix"));
        }
        Ok(Self { network, prefix })
    }

    /// Whether `ip` is in this range. An IPv4 address never matches an IPv6 range and the other
    /// way round: callers pass [`IpAddr::to_canonical`] so IPv4-mapped IPv6 peers count as IPv4.
    pub(crate) fn contains(&self, ip: IpAddr) -> bool {
        match (self.network, ip) {
            (IpAddr::V4(_), IpAddr::V4(_)) | (IpAddr::V6(_), IpAddr::V6(_)) => {
                bits(ip) & mask(ip, self.prefix) == bits(self.network)
            }
            _ => false,
        }
    }
}

impl fmt::Debug for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

fn max_prefix(ip: IpAddr) -> u8 {
    if ip.is_ipv4() { 32 } else { 128 }
}

/// The address as an integer, IPv4 in the low 32 bits.
fn bits(ip: IpAddr) -> u128 {
    match ip {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    }
}

/// The netmask of `prefix` leading ones, in the same layout as [`bits`].
fn mask(ip: IpAddr, prefix: u8) -> u128 {
    let width = u32::from(max_prefix(ip));
    let all = if width == 32 { u128::from(u32::MAX) } else { u128::MAX };
    // `checked_shr` is None for a shift by 128 (an IPv6 /128), where nothing is left over.
    all & !(all.checked_shr(u32::from(prefix)).unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn exact_addresses_match_only_themselves() {
        let r = IpRange::parse("203.0.113.7").unwrap();
        assert!(r.contains(ip("203.0.113.7")));
        assert!(!r.contains(ip("203.0.113.8")));
        let r = IpRange::parse(" 2001:db8::1 ").unwrap();
        assert!(r.contains(ip("2001:db8::1")));
        assert!(!r.contains(ip("2001:db8::2")));
        assert_eq!(format!("{r:?}"), "2001:db8::1/128");
    }

    #[test]
    fn ipv4_cidr() {
        let r = IpRange::parse("10.0.0.0/8").unwrap();
        assert!(r.contains(ip("10.0.0.0")));
        assert!(r.contains(ip("10.255.255.255")));
        assert!(!r.contains(ip("11.0.0.0")));
        assert!(!r.contains(ip("9.255.255.255")));
        let r = IpRange::parse("192.168.1.64/26").unwrap();
        assert!(r.contains(ip("192.168.1.127")));
        assert!(!r.contains(ip("192.168.1.128")));
        assert!(!r.contains(ip("192.168.1.63")));
        let any = IpRange::parse("0.0.0.0/0").unwrap();
        assert!(any.contains(ip("1.2.3.4")) && any.contains(ip("255.255.255.255")));
        assert!(!any.contains(ip("::1")), "an IPv4 range never matches IPv6");
    }

    #[test]
    fn ipv6_cidr() {
        let r = IpRange::parse("2001:db8::/32").unwrap();
        assert!(r.contains(ip("2001:db8::")));
        assert!(r.contains(ip("2001:db8:ffff:ffff:ffff:ffff:ffff:ffff")));
        assert!(!r.contains(ip("2001:db9::")));
        let r = IpRange::parse("fe80::/10").unwrap();
        assert!(r.contains(ip("febf::1")));
        assert!(!r.contains(ip("fec0::1")));
        let any = IpRange::parse("::/0").unwrap();
        assert!(any.contains(ip("::1")) && any.contains(ip("ffff::")));
        assert!(!any.contains(ip("10.0.0.1")), "an IPv6 range never matches IPv4");
    }

    #[test]
    fn refuses_bad_entries() {
        for bad in
            ["", "10.0.0", "10.0.0.0/33", "::/129", "10.0.0.0/", "10.0.0.0/+8", "10.0.0.0/-1", "x/8", "10.1.2.3/8"]
        {
            assert!(IpRange::parse(bad).is_err(), "{bad:?}");
        }
        assert!(IpRange::parse("2001:db8::1/32").unwrap_err().contains("host bits"));
    }
}
