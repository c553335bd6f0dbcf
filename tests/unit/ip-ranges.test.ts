import { describe, expect, it } from "vitest";
import { forbiddenReason, isPublicAddress, normalizeIp } from "@/lib/server/ip-ranges";

describe("forbiddenReason", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["192.168.1.1", "private"],
    ["169.254.169.254", "link-local"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["100.127.255.255", "carrier-grade NAT"],
    ["0.0.0.0", "this-network"],
    ["0.1.2.3", "this-network"],
    ["224.0.0.1", "multicast"],
    ["239.255.255.250", "multicast"],
    ["240.0.0.1", "reserved"],
    ["255.255.255.255", "reserved"],
    ["192.0.2.10", "documentation"],
    ["198.18.0.1", "benchmarking"],
  ])("IPv4 %s is %s", (ip, reason) => {
    expect(forbiddenReason(ip)).toBe(reason);
  });

  it.each([
    ["::1", "loopback"],
    ["::", "unspecified"],
    ["fc00::1", "unique-local"],
    ["fd12:3456:789a::1", "unique-local"],
    ["fe80::1", "link-local"],
    ["fe80::1%eth0", "link-local"],
    ["febf:ffff::1", "link-local"],
    ["fec0::1", "site-local"],
    ["ff02::1", "multicast"],
    ["::ffff:127.0.0.1", "loopback (IPv4-mapped)"],
    ["::ffff:7f00:1", "loopback (IPv4-mapped)"],
    ["[::ffff:169.254.169.254]", "link-local (IPv4-mapped)"],
    ["::ffff:a9fe:a9fe", "link-local (IPv4-mapped)"],
    ["::127.0.0.1", "loopback (IPv4-compatible)"],
    ["::ffff:0:10.0.0.1", "private (IPv4-translated)"],
    ["64:ff9b::127.0.0.1", "loopback (NAT64)"],
    ["64:ff9b::a9fe:a9fe", "link-local (NAT64)"],
    ["64:ff9b:1::8.8.8.8", "local-use NAT64"],
    ["2002:7f00:1::", "loopback (6to4)"],
    ["2002:c0a8:101::1", "private (6to4)"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "Teredo"],
    ["2001:db8::1", "documentation"],
    ["100::1", "discard-only"],
    ["4000::1", "not global unicast"],
  ])("IPv6 %s is %s", (ip, reason) => {
    expect(forbiddenReason(ip)).toBe(reason);
  });

  it.each(["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808", "2002:808:808::1"])(
    "%s is public",
    (ip) => {
      expect(forbiddenReason(ip)).toBeNull();
      expect(isPublicAddress(ip)).toBe(true);
    },
  );

  it("refuses strings that are not canonical IP addresses", () => {
    expect(forbiddenReason("localhost")).toBe("not an IP address");
    expect(forbiddenReason("127.1")).toBe("not an IP address");
    expect(forbiddenReason("0x7f000001")).toBe("not an IP address");
    expect(isPublicAddress("")).toBe(false);
  });

  it("normalizes brackets and zone ids", () => {
    expect(normalizeIp("[fe80::1%25eth0]")).toBe("fe80::1");
    expect(normalizeIp(" 10.0.0.1 ")).toBe("10.0.0.1");
  });
});
