/* apg_remedy.c - the fix the playbook gives for each cause, by leg:
 * northbound (client app -> Edge Router) or southbound (Message Processor
 * -> backend); a generic text when the leg is unknown.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "apg_diagnosis.h"

#include <string.h>

typedef struct {
    const char *unknown, *northbound, *southbound;
} remedy;

static const remedy remedies[APG_CAUSE_COUNT] = {
    [APG_CAUSE_NONE] = {"Nothing to fix.", NULL, NULL},
    [APG_CAUSE_INCOMPLETE_CAPTURE] =
        {"Capture the whole connection, from the SYN to the FIN, on the side you can reach "
         "(public cloud: the client app or the backend; private cloud also the Router or the MP).",
         NULL, NULL},
    [APG_CAUSE_ALERT_OTHER] =
        {"Look the alert up in the logs of the side that sent it: the alert names what it "
         "refused.",
         NULL, NULL},
    [APG_CAUSE_NO_SERVER_RESPONSE] =
        {"Check that the server listens on that address and port and speaks TLS there, and that "
         "no firewall or load balancer drops the traffic.",
         "Check the Router's virtual host port and whatever balances traffic in front of the "
         "Routers.",
         "Check the target server's host and port in the TargetEndpoint or target server "
         "definition, and the network path from the Message Processors to it."},
    [APG_CAUSE_SERVER_RESET] =
        {"Read the server's logs for why it dropped the connection; compare its version, SNI and "
         "cipher settings with the ClientHello.",
         NULL, NULL},
    [APG_CAUSE_SERVER_CLOSED] =
        {"Read the server's logs for why it closed the connection; compare its version, SNI and "
         "cipher settings with the ClientHello.",
         NULL, NULL},
    [APG_CAUSE_CLIENT_ABORT] =
        {"Read the client's logs: it closed without an alert, most often over a certificate it "
         "did not accept.",
         NULL, NULL},
    [APG_CAUSE_NON_TLS_RESPONSE] =
        {"Point the client at the server's TLS port, or enable TLS on that port.", NULL,
         "The TargetEndpoint URL (or target server) says https but points at a plain-text port: "
         "fix the port, or the scheme."},
    [APG_CAUSE_PROTOCOL_MISMATCH] =
        {"Make both sides share a version: upgrade the older side to TLSv1.2 or later, or allow "
         "the client's version on the server.",
         "The client app must offer a version the Router's virtual host allows (TLSv1.2 or "
         "later). Private cloud: widen the virtual host's SSL protocols; public cloud: upgrade "
         "the client, or ask Apigee support.",
         "Upgrade the backend to TLSv1.2 (recommended). Otherwise pin the Message Processor to "
         "the backend's version: in the TargetEndpoint <HTTPTargetConnection><SSLInfo>"
         "<Enabled>true</Enabled><Protocols><Protocol>TLSv1.0</Protocol></Protocols></SSLInfo>, "
         "or the same <Protocols> on the target server through the management API."},
    [APG_CAUSE_SNI_MISSING] =
        {"Have the client send the server's host name as server_name (SNI), or give the server "
         "a default certificate for clients without SNI. Check with openssl s_client -connect "
         "host:port, with and without -servername host.",
         "The client app must send SNI with the virtual host's name: use the host name, not an "
         "IP address, in the URL.",
         "Enable SNI on the Message Processors (private cloud): in "
         "/opt/apigee/customer/application/message-processor.properties set "
         "conf_system_jsse.enableSNIExtension=true, owner apigee:apigee, then restart every "
         "Message Processor. Public cloud: Apigee support owns the MPs."},
    [APG_CAUSE_CIPHER_MISMATCH] =
        {"Make the client offer at least one suite the server allows (compare the ClientHello's "
         "list with the server's configuration); for a Java 8 client install the JCE "
         "unlimited-strength policy.",
         "The client app must offer a suite the Router allows (only strong suites, listed in its "
         "virtual host's nginx configuration); for a Java 8 client install the JCE "
         "unlimited-strength policy.",
         "Make the Message Processor offer a suite the backend allows: for Java 8 install the "
         "JCE unlimited-strength policy on every MP; <SSLInfo><Ciphers> on the TargetEndpoint or "
         "target server sets the MP's list; or widen the backend's suites."},
    [APG_CAUSE_CLIENT_CERT_MISSING] =
        {"The server requires a client certificate (two-way TLS): configure the client with a "
         "certificate and key from a CA the server trusts.",
         "The Router's virtual host requires a client certificate: the client app must present "
         "one issued by a CA in the virtual host's truststore.",
         "The backend requires a client certificate: set <ClientAuthEnabled>true</"
         "ClientAuthEnabled>, <KeyStore> and <KeyAlias> in the TargetEndpoint's <SSLInfo>, with a "
         "certificate from a CA the backend trusts."},
    [APG_CAUSE_CLIENT_CERT_REJECTED] =
        {"The server does not accept the client's certificate: add the client's certificate or "
         "its CA to the server's truststore, or renew it if it expired.",
         "Upload the client app's certificate (or its CA) to the Router's truststore for the "
         "virtual host; if it expired, the client app needs a new one.",
         "Upload the Message Processor's certificate (or its CA) to the backend's truststore; "
         "if it expired, upload a new certificate and full chain to the MP's keystore."},
    [APG_CAUSE_CERT_EXPIRED] =
        {"Renew the server's certificate and install it with its full chain.",
         "Upload a new certificate and its full chain to the Router's keystore (the virtual "
         "host's keystore).",
         "The backend's certificate expired: upload a new certificate and its full chain to the "
         "backend's keystore."},
    [APG_CAUSE_CERT_UNKNOWN] =
        {"Put the server's CA in the client's truststore, or have the server present a "
         "certificate from a CA the client trusts, with its full chain.",
         "The client app does not trust the Router's certificate: add its CA to the client's "
         "truststore, or upload a certificate from a CA the client trusts, with its full chain, "
         "to the virtual host's keystore.",
         "The Message Processor does not trust the backend's certificate: upload the backend's "
         "certificate or CA chain to the truststore in the TargetEndpoint's <SSLInfo>"
         "<TrustStore>, or have the backend send its full chain."},
    [APG_CAUSE_CERT_HOSTNAME_MISMATCH] =
        {"Use a certificate whose Subject Alternative Name holds the host the client asks for "
         "(or a wildcard such as *.domain.com), uploaded with its full chain; or point the "
         "client at the name on the certificate.",
         "Upload to the virtual host's keystore a certificate whose SAN (or wildcard) covers the "
         "host in the client app's URL, with its full chain.",
         "The backend's certificate does not name the host in the TargetEndpoint URL (or target "
         "server): install on the backend a certificate whose SAN holds that host, or use the "
         "host named on the certificate in the URL."},
    [APG_CAUSE_CERT_CHAIN_INCOMPLETE] =
        {"The server sends its certificate without the intermediate that issued it: install the "
         "full chain (leaf, then intermediates) on the server. Check it with openssl verify "
         "-CAfile root -untrusted intermediate leaf.",
         "Upload the full chain (leaf and intermediates) to the virtual host's keystore.",
         "Install the full chain (leaf and intermediates) on the backend; or, if that cannot "
         "change, add the missing intermediate to the MP's truststore."},
    [APG_CAUSE_CERT_CHAIN_INVALID] =
        {"The chain the server sends does not link up (an intermediate that did not issue the "
         "leaf, or a root that did not issue the intermediate): get the right chain from the CA "
         "and install it; check with openssl verify -CAfile root -untrusted intermediate leaf.",
         "Upload the correct chain to the virtual host's keystore: each certificate's issuer "
         "must be the next one's subject, and its signature must verify.",
         "Install the correct chain on the backend: each certificate's issuer must be the next "
         "one's subject, and its signature must verify."},
    [APG_CAUSE_CERT_NOT_YET_VALID] =
        {"The certificate's notBefore is after the capture's time: check the server's and the "
         "client's clocks, or install a certificate valid now.",
         NULL, NULL},
    [APG_CAUSE_CERT_REJECTED] =
        {"The client refused the server's certificate: check its name, chain, dates and CA "
         "against the client's truststore; a key log shows the exact alert.",
         "The client app refused the Router's certificate: check its name, chain and dates and "
         "the client's truststore.",
         "The Message Processor refused the backend's certificate: check its name, chain and "
         "dates and the MP's truststore (TargetEndpoint <SSLInfo><TrustStore>)."},
};

const char *apg_remedy_text(apg_cause cause, apg_direction direction)
{
    if (cause >= APG_CAUSE_COUNT)
        return "";
    const remedy *r = &remedies[cause];
    if (direction == APG_DIRECTION_NORTHBOUND && r->northbound)
        return r->northbound;
    if (direction == APG_DIRECTION_SOUTHBOUND && r->southbound)
        return r->southbound;
    return r->unknown;
}

const char *apg_confidence_token(apg_confidence c)
{
    switch (c) {
    case APG_CONFIDENCE_CERTAIN: return "certain";
    case APG_CONFIDENCE_LIKELY: return "likely";
    case APG_CONFIDENCE_POSSIBLE: return "possible";
    }
    return "possible";
}

const char *apg_direction_token(apg_direction d)
{
    switch (d) {
    case APG_DIRECTION_NORTHBOUND: return "northbound";
    case APG_DIRECTION_SOUTHBOUND: return "southbound";
    case APG_DIRECTION_UNKNOWN: break;
    }
    return "unknown";
}

/* "127.0.1.1:9443" -> address "127.0.1.1", port 9443; "[::1]:9443" too. */
static gboolean split_endpoint(const char *ep, char *addr, gsize addr_len, guint *port)
{
    const char *colon = ep ? strrchr(ep, ':') : NULL;
    if (!colon)
        return FALSE;
    const char *start = ep, *end = colon;
    if (*start == '[' && end > start && end[-1] == ']') {
        start++;
        end--;
    }
    if ((gsize)(end - start) >= addr_len)
        return FALSE;
    memcpy(addr, start, end - start);
    addr[end - start] = '\0';
    *port = (guint)g_ascii_strtoull(colon + 1, NULL, 10);
    return TRUE;
}

static gboolean listed(char **list, const char *addr)
{
    for (; list && *list; list++)
        if (g_ascii_strcasecmp(*list, addr) == 0)
            return TRUE;
    return FALSE;
}

static gboolean port_listed(const apg_roles *r, guint port)
{
    for (guint i = 0; i < r->n_router_ports; i++)
        if (r->router_ports[i] == port)
            return TRUE;
    return FALSE;
}

apg_direction apg_direction_of(const apg_roles *roles, const char *client_ep, const char *server_ep)
{
    char addr[64];
    guint port;
    if (!roles)
        return APG_DIRECTION_UNKNOWN;
    if (split_endpoint(server_ep, addr, sizeof addr, &port)) {
        gboolean have_addrs = roles->router_addrs && roles->router_addrs[0];
        gboolean addr_ok =
            have_addrs ? listed(roles->router_addrs, addr) : roles->n_router_ports > 0;
        gboolean port_ok = roles->n_router_ports ? port_listed(roles, port) : have_addrs;
        if (addr_ok && port_ok)
            return APG_DIRECTION_NORTHBOUND;
    }
    if (split_endpoint(client_ep, addr, sizeof addr, &port) && listed(roles->mp_addrs, addr))
        return APG_DIRECTION_SOUTHBOUND;
    return APG_DIRECTION_UNKNOWN;
}
