import { describe, expect, test } from "bun:test";
import {
  addressBlock,
  canonicalAddress,
  clientAddressResolver,
  resolveClientAddress,
  trustedProxies,
} from "../src/client-address.ts";

const withXff = (value?: string) =>
  new Request("http://localhost/", value === undefined ? {} : { headers: { "x-forwarded-for": value } });

describe("CIDR matching", () => {
  const trusted = trustedProxies([
    "10.0.0.0/8",
    "192.168.1.17",
    "fd00::/8",
    "2001:db8::/126",
    "172.16.0.0/12",
  ]);

  test("IPv4 blocks and single addresses", () => {
    expect(trusted.trusts("10.255.3.4")).toBe(true);
    expect(trusted.trusts("11.0.0.1")).toBe(false);
    expect(trusted.trusts("192.168.1.17")).toBe(true);
    expect(trusted.trusts("192.168.1.18")).toBe(false);
    // /12 ends inside the second byte.
    expect(trusted.trusts("172.31.255.255")).toBe(true);
    expect(trusted.trusts("172.32.0.1")).toBe(false);
  });

  test("IPv6 blocks, written in any form", () => {
    expect(trusted.trusts("fd12:3456::1")).toBe(true);
    expect(trusted.trusts("FD00:0:0:0:0:0:0:1")).toBe(true);
    expect(trusted.trusts("fe80::1")).toBe(false);
    expect(trusted.trusts("2001:db8::3")).toBe(true);
    expect(trusted.trusts("2001:db8::4")).toBe(false);
    expect(trusted.trusts("[fd00::1]")).toBe(true);
  });

  test("IPv4-mapped IPv6 matches the IPv4 block, and a mapped CIDR is an IPv4 block", () => {
    expect(trusted.trusts("::ffff:10.1.2.3")).toBe(true);
    expect(trusted.trusts("::ffff:a01:203")).toBe(true);
    expect(trusted.trusts("::ffff:11.1.2.3")).toBe(false);
    const mapped = trustedProxies(["::ffff:127.0.0.0/104"]);
    expect(mapped.trusts("127.0.0.1")).toBe(true);
    expect(mapped.trusts("::ffff:127.0.0.1")).toBe(true);
    expect(mapped.trusts("128.0.0.1")).toBe(false);
  });

  test("zero-length prefixes trust everything of their family; nothing trusts garbage", () => {
    const all = trustedProxies(["0.0.0.0/0", "::/0"]);
    expect(all.trusts("8.8.8.8")).toBe(true);
    expect(all.trusts("2001:4860::8888")).toBe(true);
    for (const bad of ["", "unknown", "1.2.3", "1.2.3.256", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9"]) {
      expect(all.trusts(bad)).toBe(false);
    }
    expect(trustedProxies([]).trusts("127.0.0.1")).toBe(false);
  });

  test("an invalid CIDR is refused", () => {
    for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.0/8/1", "nope/8"]) {
      expect(() => trustedProxies([bad])).toThrow(bad);
    }
  });
});

describe("canonical addresses", () => {
  test("mapped IPv4 becomes IPv4 and IPv6 is compressed in lower case", () => {
    expect(canonicalAddress("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(canonicalAddress("2001:DB8:0:0:1:0:0:1")).toBe("2001:db8::1:0:0:1");
    expect(canonicalAddress("0:0:0:0:0:0:0:1")).toBe("::1");
    expect(canonicalAddress("fe80::1%eth0")).toBe("fe80::1");
    expect(canonicalAddress("not-an-ip")).toBeUndefined();
  });

  test("an IPv6 client's block is its /64, an IPv4 client's its address", () => {
    expect(addressBlock("2001:db8:1:2:aaaa:bbbb:cccc:dddd")).toBe("2001:db8:1:2::/64");
    expect(addressBlock("2001:db8:1:2::1")).toBe(addressBlock("2001:db8:1:2:ffff::9"));
    expect(addressBlock("::ffff:203.0.113.9")).toBe("203.0.113.9");
  });
});

describe("client address resolution", () => {
  const trusted = trustedProxies(["10.0.0.0/8", "::1/128"]);

  test("an untrusted peer is the client whatever it forwards", () => {
    expect(resolveClientAddress(withXff("198.51.100.1"), "203.0.113.7", trusted)).toBe("203.0.113.7");
    expect(resolveClientAddress(withXff(), "::ffff:203.0.113.7", trusted)).toBe("203.0.113.7");
    expect(resolveClientAddress(withXff("1.1.1.1"), undefined, trusted)).toBeUndefined();
  });

  test("behind trusted proxies the first untrusted hop from the right is the client", () => {
    // client forged 6.6.6.6; the edge proxy appended the real 203.0.113.7; an inner proxy 10.0.0.5.
    const request = withXff("6.6.6.6, 203.0.113.7, 10.0.0.5");
    expect(resolveClientAddress(request, "10.0.0.9", trusted)).toBe("203.0.113.7");
    expect(resolveClientAddress(request, "::1", trusted)).toBe("203.0.113.7");
    // Several headers read as one chain.
    const split = new Request("http://localhost/", {
      headers: [
        ["x-forwarded-for", "6.6.6.6"],
        ["x-forwarded-for", "::ffff:203.0.113.8"],
      ],
    });
    expect(resolveClientAddress(split, "10.0.0.9", trusted)).toBe("203.0.113.8");
  });

  test("a trusted peer without the header, or an all-trusted chain, gives the leftmost address known", () => {
    expect(resolveClientAddress(withXff(), "10.0.0.9", trusted)).toBe("10.0.0.9");
    expect(resolveClientAddress(withXff("10.1.1.1, 10.2.2.2"), "10.0.0.9", trusted)).toBe("10.1.1.1");
  });

  test("a hop that is not an address stops the walk at the last good one", () => {
    expect(resolveClientAddress(withXff("garbage, 10.2.2.2"), "10.0.0.9", trusted)).toBe("10.2.2.2");
    expect(resolveClientAddress(withXff("203.0.113.1, "), "10.0.0.9", trusted)).toBe("10.0.0.9");
  });

  test("the resolver reads the peer from Bun's server", () => {
    const resolve = clientAddressResolver(["127.0.0.0/8"]);
    const server = { requestIP: () => ({ address: "127.0.0.1" }) };
    expect(resolve(withXff("203.0.113.7"), server)).toBe("203.0.113.7");
    expect(resolve(withXff("203.0.113.7"), { requestIP: () => ({ address: "192.0.2.1" }) })).toBe(
      "192.0.2.1",
    );
    expect(resolve(withXff("203.0.113.7"), null)).toBeUndefined();
  });
});
