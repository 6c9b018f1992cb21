/* apg_observations.h - what the wire showed, one event at a time.
 *
 * The epan glue turns each frame's TLS records and TCP flags into these
 * events, in wire order. The core never sees Wireshark types: an event names
 * its sender by TCP endpoint index (0 = the side that sent the conversation's
 * first packet the glue saw, 1 = the other), and the tracker decides roles
 * from who sent the ClientHello.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_OBSERVATIONS_H
#define APG_OBSERVATIONS_H

#include <glib.h>

#include "apg_addr.h"
#include "apg_tls.h"

/* Caps that bound what an attacker-controlled capture can make us store. */
#define APG_MAX_SUITES               512
#define APG_MAX_VERSIONS             32
#define APG_MAX_EXTENSIONS           128
#define APG_MAX_SNI_LEN              255
#define APG_MAX_GROUPS               64
#define APG_MAX_KEY_SHARES           16
#define APG_MAX_SIG_ALGS             64
#define APG_MAX_ALPN_LEN             255 /* the offered protocols, comma-joined */
#define APG_MAX_CA_NAMES             32  /* a CertificateRequest's certificate_authorities */
#define APG_MAX_PROXY_TARGET         255 /* the host:port of an HTTP CONNECT */
#define APG_MAX_CERTS                16
#define APG_MAX_EVENTS_PER_HANDSHAKE 256

/* Size of a TLS 1.3 encrypted alert record: 2 bytes of alert, 1 byte of
 * inner content type and a 16-byte AEAD tag. */
#define APG_TLS13_ENCRYPTED_ALERT_LEN 19
/* The smallest TLS 1.3 Finished record: a 32-byte MAC, the inner type and
 * the tag. A client's first encrypted record shorter than that is no
 * Finished: a padded alert (Java pads its alerts). */
#define APG_TLS13_MIN_FINISHED_LEN 49
/* The smallest TLS 1.3 NewSessionTicket record (RFC 8446 4.6.1: lifetime,
 * age_add, an empty nonce, a 1-byte ticket, no extensions; the handshake
 * header, the inner type and the tag). A server record after the client's
 * Finished that is shorter cannot be a ticket: an alert (Java pads alerts). */
#define APG_TLS13_MIN_TICKET_LEN 35
/* A server record up to this size, followed by the server's close and
 * nothing else, is read as a padded alert rather than a ticket or data. */
#define APG_TLS13_SHORT_RECORD_LEN 64

typedef enum {
    APG_EV_CLIENT_HELLO,
    APG_EV_SERVER_HELLO, /* includes HelloRetryRequest, see is_hrr */
    APG_EV_CERTIFICATE,
    APG_EV_CERT_REQUEST,
    APG_EV_SERVER_HELLO_DONE,
    APG_EV_OTHER_HANDSHAKE, /* ServerKeyExchange, NewSessionTicket, ... */
    APG_EV_FINISHED,
    APG_EV_ENCRYPTED_HANDSHAKE, /* a handshake record we cannot read */
    APG_EV_CHANGE_CIPHER_SPEC,
    APG_EV_ALERT,
    APG_EV_ENCRYPTED_RECORD, /* TLS 1.3 opaque record or TLS 1.2 app data */
    APG_EV_TCP_FIN,
    APG_EV_TCP_RST,
    APG_EV_TCP_PAYLOAD,    /* TCP payload without a complete TLS record */
    APG_EV_TCP_SEGMENT,    /* any other TCP segment (a pure ACK), with the TCP analysis flags */
    APG_EV_SSL2_MESSAGE,   /* an SSL 2.0 message other than CLIENT-HELLO (handshake_type) */
    APG_EV_PROXY_CONNECT,  /* an HTTP CONNECT to a forward proxy (u.proxy.target) */
    APG_EV_PROXY_RESPONSE, /* an HTTP status line (u.proxy.status): the proxy's answer */
    APG_EV_PATH_TOO_BIG,   /* a router's ICMP "fragmentation needed" / "packet too big"
                            * quoting a segment of the stream (u.too_big) */
    APG_EV_COUNT
} apg_event_kind;

/* TCP facts (FIN, RST, payload without a record, a bare segment), not TLS:
 * they never open a conversation or a handshake. */
G_STATIC_ASSERT(APG_EV_TCP_SEGMENT == APG_EV_TCP_FIN + 3); /* the four TCP kinds, together */
static inline gboolean apg_event_is_tcp(apg_event_kind kind)
{
    return kind >= APG_EV_TCP_FIN && kind <= APG_EV_TCP_SEGMENT;
}

typedef struct {
    guint16 legacy_version;
    guint16 versions[APG_MAX_VERSIONS]; /* supported_versions, in offer order */
    guint n_versions;
    guint16 suites[APG_MAX_SUITES];
    guint n_suites;
    guint16 extensions[APG_MAX_EXTENSIONS];
    guint n_extensions;
    guint16 groups[APG_MAX_GROUPS]; /* supported_groups */
    guint n_groups;
    guint16 key_shares[APG_MAX_KEY_SHARES]; /* the groups of key_share entries */
    guint n_key_shares;
    guint16 sig_algs[APG_MAX_SIG_ALGS]; /* signature_algorithms */
    guint n_sig_algs;
    gboolean has_sni;
    gboolean has_alpn;
    char sni[APG_MAX_SNI_LEN + 1];   /* as sent, may be truncated */
    char alpn[APG_MAX_ALPN_LEN + 1]; /* the protocols offered, comma-joined, may be truncated */
} apg_client_hello;

typedef struct {
    gboolean is_hrr;
    guint16 legacy_version;
    guint16 selected_version; /* supported_versions extension, 0 if absent */
    guint16 suite;
    /* the key share's group; in a HelloRetryRequest the group it asks for */
    guint16 group;
    gboolean psk_accepted; /* TLS 1.3: pre_shared_key, the server resumes a session */
} apg_server_hello;

typedef struct {
    guint8 level; /* 1 warning, 2 fatal, 0 when encrypted */
    guint8 desc;
    guint8 encrypted; /* a boolean: the alert could not be read */
} apg_alert_obs;

typedef struct {
    apg_event_kind kind;
    guint32 frame;
    int sender;             /* TCP endpoint index, 0 or 1 */
    guint16 record_version; /* 0 when not a TLS record */
    guint32 record_length;
    gint64 time;    /* the frame's capture time, seconds since the epoch */
    gint64 time_us; /* the same in microseconds, for timing */
    /* The frame's TCP segment: its sequence number (tcp.seq), data length
     * (tcp.len), the sequence number after its data (tcp.nxtseq, 0 without
     * data) and what it acknowledges (tcp.ack, has_ack); relative or
     * absolute alike, compared modulo 2^32. */
    guint32 tcp_seq;
    guint32 tcp_len;
    guint32 tcp_nxtseq;
    guint32 tcp_ack;
    gboolean has_ack;
    guint8 handshake_type; /* for APG_EV_OTHER_HANDSHAKE and APG_EV_SSL2_MESSAGE */
    guint16 dh_bits;       /* ServerKeyExchange: the DHE prime's size, 0 if none */
    guint16 named_curve;   /* ServerKeyExchange: its ECDHE group, 0 if none */
    /* ServerHello or EncryptedExtensions: the protocol selected by ALPN,
     * NUL-ended; borrowed; NULL when the message has none */
    const char *alpn;
    union {
        const apg_client_hello *client_hello;
        apg_server_hello server_hello;
        apg_alert_obs alert;
        struct {
            gboolean looks_tls; /* starts like a record (or follows a gap) */
            /* it starts like a TLS handshake record (0x16 0x03 0x00-0x04):
             * the message type of its first message (1 ClientHello, 2
             * ServerHello), and whether the whole record is in the segment,
             * so that a TLS dissector would have read it here */
            gboolean tls_handshake;
            guint8 handshake_type;
            gboolean whole_record;
        } payload; /* APG_EV_TCP_PAYLOAD */
        struct {
            gboolean out_of_order; /* Wireshark's tcp.analysis.out_of_order */
            gboolean acks_unseen;  /* tcp.analysis.ack_lost_segment: acks bytes not captured */
            gboolean opens;        /* a SYN: its sender is the TCP client */
            gboolean accepts;      /* a SYN-ACK: its sender is the TCP server */
            /* tcp.analysis.retransmission of a segment with data: Wireshark
             * does not hand it to TLS again */
            gboolean resent_data;
        } tcp; /* APG_EV_TCP_SEGMENT */
        struct {
            guint count;                      /* certificates in the message */
            const GBytes *der[APG_MAX_CERTS]; /* borrowed; the tracker copies */
        } certificate;
        struct {
            const char *target; /* APG_EV_PROXY_CONNECT: host:port, printable, NUL-ended */
            guint16 status;     /* APG_EV_PROXY_RESPONSE: 100..999 */
        } proxy;
        struct {
            apg_endpoint sender; /* of the quoted segment: the side whose packet was refused */
            apg_endpoint router; /* the ICMP's source (the capture layer fills it) */
            guint32 mtu;         /* the next hop's MTU the router names; 0: not given */
            guint32 packet_len;  /* the quoted packet's IP length (header included) */
        } too_big;               /* APG_EV_PATH_TOO_BIG */
        struct {
            guint count;                          /* certificate_authorities listed */
            const GBytes *name[APG_MAX_CA_NAMES]; /* borrowed DER Names */
        } cert_request;
    } u;
} apg_event;

#endif /* APG_OBSERVATIONS_H */
