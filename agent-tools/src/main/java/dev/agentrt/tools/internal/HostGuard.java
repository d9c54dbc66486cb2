package dev.agentrt.tools.internal;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;

/**
 * Decides whether the {@code http} tool may reach a URL: scheme http or https, no user info, an
 * ASCII host without a trailing dot, the host (and port, if the entry names one) in the allowlist,
 * IP literals only when listed literally, and no name that resolves to a loopback, private,
 * link-local, unique-local, carrier-grade NAT, multicast or unspecified address unless that address
 * is listed.
 */
public final class HostGuard {
  /** Resolves host names; replaceable in tests. */
  @FunctionalInterface
  public interface Resolver {
    InetAddress[] resolve(String host) throws UnknownHostException;
  }

  /** A URL was refused; the message is for the caller. */
  public static final class Refused extends Exception {
    Refused(String message) {
      super(message);
    }
  }

  private final List<String> allow;
  private final Resolver resolver;

  public HostGuard(List<String> allow, Resolver resolver) {
    this.allow = allow.stream().map(s -> s.trim().toLowerCase(Locale.ROOT)).toList();
    this.resolver = resolver;
  }

  /** Parses and checks {@code url}; returns the URI to request. */
  public URI check(String url) throws Refused {
    String shown = Sandbox.show(url);
    URI u;
    try {
      u = new URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new Refused(
          "url '"
              + shown
              + "' is refused: it is not a valid URL ("
              + e.getReason()
              + " at index "
              + e.getIndex()
              + ")");
    }
    return check(u, shown);
  }

  /** Checks an already parsed URI (a redirect's target). */
  public URI check(URI u, String shown) throws Refused {
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw refused(
          shown,
          scheme.isEmpty()
              ? "it has no scheme (write http:// or https://)"
              : "scheme '" + scheme + "' is not allowed (use http or https)");
    }
    String authority = u.getRawAuthority();
    if (authority == null || authority.isEmpty()) throw refused(shown, "it has no host");
    if (authority.contains("@")) {
      throw refused(
          shown,
          "it carries user info before '@' (credentials in URLs are not allowed; the host would be '"
              + Sandbox.show(authority.substring(authority.lastIndexOf('@') + 1))
              + "')");
    }
    String host;
    int port = -1;
    if (authority.startsWith("[")) {
      int close = authority.indexOf(']');
      if (close < 0) throw refused(shown, "its IPv6 host has no closing ']'");
      host = authority.substring(0, close + 1);
      String rest = authority.substring(close + 1);
      if (rest.startsWith(":")) port = parsePort(shown, rest.substring(1));
      else if (!rest.isEmpty()) throw refused(shown, "it has text after the IPv6 host");
    } else {
      int colon = authority.lastIndexOf(':');
      host = colon < 0 ? authority : authority.substring(0, colon);
      if (colon >= 0) port = parsePort(shown, authority.substring(colon + 1));
    }
    host = host.toLowerCase(Locale.ROOT);
    if (host.isEmpty()) throw refused(shown, "it has no host");
    for (int i = 0; i < host.length(); i++) {
      char c = host.charAt(i);
      if (c >= 0x80 || c == '%') {
        throw refused(
            shown,
            "host '"
                + Sandbox.show(host)
                + "' is not plain ASCII (write international names in punycode, xn--...)");
      }
    }
    if (host.endsWith(".")) throw refused(shown, "host '" + host + "' ends with a dot (remove it)");
    if (port < 0) port = scheme.equals("https") ? 443 : 80;
    boolean literal = isIpLiteral(host);
    if (literal) {
      if (!listed(host, port)) {
        throw refused(
            shown,
            "host '"
                + host
                + "' is an IP address literal (IP literals are refused unless policy.http_allow lists them)");
      }
      return u;
    }
    if (u.getHost() == null || !u.getHost().equalsIgnoreCase(host)) {
      throw refused(shown, "host '" + Sandbox.show(host) + "' is not a valid host name");
    }
    if (!listed(host, port)) {
      throw refused(
          shown,
          "host '"
              + host
              + (port == 80 || port == 443 ? "" : ":" + port)
              + "' is not in policy.http_allow (allowed: "
              + String.join(", ", allow)
              + ")");
    }
    InetAddress[] addrs;
    try {
      addrs = resolver.resolve(host);
    } catch (UnknownHostException e) {
      throw refused(shown, "host '" + host + "' does not resolve");
    }
    for (InetAddress a : addrs) {
      String kind = special(a);
      if (kind != null && !listed(bracket(a), port)) {
        throw refused(
            shown,
            "host '"
                + host
                + "' resolves to "
                + a.getHostAddress()
                + ", a "
                + kind
                + " address (such addresses are refused unless policy.http_allow lists the address itself)");
      }
    }
    return u;
  }

  private static String bracket(InetAddress a) {
    return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
  }

  private boolean listed(String host, int port) {
    String want = canon(host);
    for (String e : allow) {
      String h = e;
      int p = -1;
      if (e.startsWith("[")) {
        int close = e.indexOf(']');
        if (close < 0) continue;
        h = e.substring(0, close + 1);
        if (e.length() > close + 2 && e.charAt(close + 1) == ':')
          p = portOf(e.substring(close + 2));
      } else if (e.indexOf(':') > 0 && e.indexOf(':') == e.lastIndexOf(':')) {
        h = e.substring(0, e.indexOf(':'));
        p = portOf(e.substring(e.indexOf(':') + 1));
      }
      if (p >= 0 && p != port) continue;
      if (h.startsWith("*.")) {
        if (host.endsWith(h.substring(1)) && !isIpLiteral(host)) return true;
      } else if (canon(h).equals(want)) {
        return true;
      }
    }
    return false;
  }

  private static int portOf(String s) {
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      return -2;
    }
  }

  /** IPv6 literals in one canonical bracketed form; everything else as is. */
  private static String canon(String h) {
    if (!h.startsWith("[") && !h.contains(":")) return h;
    String bare = h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    if (!bare.matches("[0-9a-fA-F:.]+")) return h;
    try {
      InetAddress a = InetAddress.getByName(bare); // a literal: no lookup
      return a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : "[" + bare + "]";
    } catch (UnknownHostException e) {
      return h;
    }
  }

  private static int parsePort(String shown, String s) throws Refused {
    if (s.isEmpty()) return -1;
    try {
      int p = Integer.parseInt(s);
      if (p < 1 || p > 65535) throw new NumberFormatException();
      return p;
    } catch (NumberFormatException e) {
      throw refused(shown, "port '" + Sandbox.show(s) + "' is not a number from 1 to 65535");
    }
  }

  /**
   * Whether {@code host} is an IP literal in any form a resolver might accept: IPv6 in brackets,
   * dotted IPv4, or numbers in decimal, octal or hex, with one to four parts ({@code 2130706433},
   * {@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1}).
   */
  static boolean isIpLiteral(String host) {
    if (host.startsWith("[")) return true;
    if (host.contains(":")) return true;
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) return false;
    for (String p : parts) {
      if (!p.matches("0[xX][0-9a-fA-F]*|[0-9]+")) return false;
    }
    return true;
  }

  /** What kind of special address {@code a} is, or null for a public address. */
  static String special(InetAddress a) {
    if (a.isLoopbackAddress()) return "loopback";
    if (a.isAnyLocalAddress()) return "unspecified";
    if (a.isLinkLocalAddress()) return "link-local";
    if (a.isSiteLocalAddress()) return "private";
    if (a.isMulticastAddress()) return "multicast";
    byte[] b = a.getAddress();
    if (a instanceof Inet4Address) {
      int b0 = b[0] & 0xff;
      int b1 = b[1] & 0xff;
      if (b0 == 100 && b1 >= 64 && b1 < 128) return "carrier-grade NAT";
      if (b0 == 0) return "unspecified";
      if (b0 == 198 && (b1 == 18 || b1 == 19)) return "private";
      if (b0 >= 240) return "reserved";
    } else {
      int b0 = b[0] & 0xff;
      if ((b0 & 0xfe) == 0xfc) return "unique-local";
      boolean mapped = true;
      for (int i = 0; i < 10; i++) mapped &= b[i] == 0;
      mapped &= (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
      if (mapped) {
        try {
          String k = special(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
          if (k != null) return k;
        } catch (UnknownHostException e) {
          return "reserved";
        }
      }
    }
    return null;
  }

  private static Refused refused(String shown, String why) {
    return new Refused("url '" + shown + "' is refused: " + why);
  }
}
