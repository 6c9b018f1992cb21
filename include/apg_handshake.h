/* apg_handshake.h - the per-handshake record and the conversation tracker.
 *
 * A conversation (one TCP stream) holds a list of handshakes. Events are fed
 * in wire order with apg_conv_observe(); each lands in exactly one handshake,
 * which remembers the evidence frames the diagnosis rules need.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_HANDSHAKE_H
#define APG_HANDSHAKE_H

#include "apg_addr.h"
#include "apg_observations.h"

typedef enum { APG_ROLE_CLIENT = 0, APG_ROLE_SERVER = 1 } apg_role;

/* What the ClientHello offered, stored at its exact size (a capture can hold
 * millions of handshakes): pointers into the capture's shared copy, the
 * counts packed after them (each list is capped far below 65536). */
typedef struct {
    guint16 *versions; /* supported_versions, in offer order */
    guint16 *suites;
    guint16 *extensions; /* then, in the same block: groups, key shares, signature algorithms */
    char *sni;           /* NULL when the server_name extension is absent */
    char *alpn;          /* the protocols offered, comma-joined; NULL without ALPN */
    guint16 legacy_version;
    guint16 n_versions, n_suites, n_extensions, n_groups, n_key_shares, n_sig_algs;
} apg_offer;

/* Whether v is among the n values of list (offer lists are short). */
static inline gboolean apg_u16_listed(const guint16 *list, guint n, guint16 v)
{
    for (guint i = 0; i < n; i++)
        if (list[i] == v)
            return TRUE;
    return FALSE;
}

/* Keeps the first frame of an event: later ones are repeats. */
static inline void apg_set_once(guint32 *slot, guint32 frame)
{
    if (!*slot)
        *slot = frame;
}

/* supported_groups, the groups of key_share entries, signature_algorithms:
 * stored after the extensions (apg_shared.c), reached without a pointer each. */
static inline const guint16 *apg_offer_groups(const apg_offer *o)
{
    return o->extensions + o->n_extensions;
}
static inline const guint16 *apg_offer_key_shares(const apg_offer *o)
{
    return apg_offer_groups(o) + o->n_groups;
}
static inline const guint16 *apg_offer_sig_algs(const apg_offer *o)
{
    return apg_offer_key_shares(o) + o->n_key_shares;
}

/* What routers said of one side's packets: ICMP "fragmentation needed" or
 * "packet too big" quoting its segments after the ClientHello
 * (apg_path_mtu.c). */
typedef struct {
    guint32 frame;      /* the first report; 0: none */
    guint32 last_frame; /* the last */
    guint count;
    guint32 mtu;         /* the smallest next-hop MTU named; 0: no router named one */
    guint32 packet_len;  /* the largest packet refused (IP length) */
    apg_endpoint router; /* the first report's source */
} apg_path_report;

/* One step of the ladder: C:ClientHello#4 > S:Alert(fatal,handshake_failure)#6 */
typedef struct { /* 12 bytes: a capture of a million frames holds a million steps */
    guint32 frame;
    guint16 record_length; /* a TLS record is at most 2^14 + 2048 bytes; a proxy's status */
    apg_alert_obs alert;
    guint8 role;           /* apg_role */
    guint8 kind;           /* apg_event_kind */
    guint8 handshake_type; /* for APG_EV_OTHER_HANDSHAKE and APG_EV_SSL2_MESSAGE */
} apg_step;
G_STATIC_ASSERT(sizeof(apg_step) == 12);

typedef struct {
    guint32 frame;
    apg_role sender;
    apg_alert_obs alert;
    guint32 record_length;
    guint16 record_version;
    /* sent once the handshake was complete, in its frame or later: the
     * records of one segment count in order (a proxy coalesces a server's
     * tickets, response and close_notify) */
    gboolean after_handshake;
} apg_alert_seen;

/* What decided which endpoint is the client, weakest first: a capture that
 * starts mid-connection may hold none of the stronger ones. */
typedef enum {
    APG_ROLES_UNKNOWN = 0,  /* nothing: the first TLS sender is taken for the client */
    APG_ROLES_PORT,         /* the listening port (well-known or not ephemeral) */
    APG_ROLES_MESSAGES,     /* a message only one side sends (ServerHello, ClientKeyExchange...) */
    APG_ROLES_TCP,          /* the TCP handshake (SYN, SYN-ACK) */
    APG_ROLES_CLIENT_HELLO, /* the ClientHello */
} apg_roles_from;

/* A run of data bytes seen without a gap, [lo, hi). */
typedef struct {
    guint32 lo, hi;
    gboolean has;
} apg_seq_run;

/* One direction's TCP bytes (apg_reorder.c): the end of the highest seen
 * and the last range skipped, [hole_lo, hole_hi), until later data fills it;
 * a run of bytes seen, and that run as it was before the frame last noted
 * (a frame gives several events). */
typedef struct {
    guint32 high, hole_lo, hole_hi;
    gboolean has_high, has_hole;
    apg_seq_run run, run_before;
    guint32 frame;
} apg_seq_track;

typedef struct {
    guint index;         /* 0-based, within the conversation */
    int client_endpoint; /* endpoint index of the client, -1 if unknown */
    apg_roles_from roles_from;
    gboolean saw_start; /* the ClientHello is in the capture */

    guint32 first_frame, last_frame;
    gint64 first_time_us; /* capture time of first_frame: when the handshake started */
    /* The frame that carried the verdict in the first pass (set by the
     * glue): later passes report it there too. 0 until then. */
    guint32 verdict_frame;
    guint32 client_hello_frame;
    guint ch_retransmissions;
    guint32 ch_retransmission_frame; /* the last counted: TLS and TCP may both tell of it */
    guint32 ch_end_seq; /* the TCP sequence number after the ClientHello; 0: not read */
    gboolean ch_acked;  /* the server's TCP acknowledged every byte of it */
    apg_offer offer;
    guint32 hrr_frame;
    guint32 alpn_frame;
    const char *alpn_selected; /* the server's ALPN choice (interned); NULL if none seen */
    guint16 hrr_group;         /* the group the HelloRetryRequest asked for */
    guint16 retry_key_share;   /* the client's retried ClientHello: 1 when it key-shares
                                * hrr_group, 2 when not, 0 when unseen */
    guint16 server_group;      /* the key exchange's group: TLS 1.3 key share, TLS 1.2 ECDHE */
    /* the proxy refused the tunnel: this handshake is the proxy's leg (no
     * TLS followed); its status, and the frame of the answer (proxy_frame) */
    guint16 proxy_status;
    guint32 server_hello_frame;
    apg_server_hello sh;
    guint32 server_first_record_frame;
    guint16 server_first_record_version;
    guint32 server_cert_frame;
    gint64 server_cert_time; /* capture time of that frame: certificates are judged then */
    GPtrArray *server_certs; /* GBytes DER, leaf first; shared by identical chains: read only */
    GPtrArray *ca_names;     /* GBytes DER Names the CertificateRequest lists; NULL if none */
    guint32 cert_request_frame;
    guint32 client_cert_frame;
    guint client_cert_count;
    GPtrArray *client_certs; /* GBytes DER, leaf first; shared, read only */
    gint64 client_cert_time;
    guint32 server_hello_done_frame;
    guint32 ccs_frame[2];       /* by role */
    guint32 finished_frame[2];  /* by role; also an encrypted handshake after CCS */
    guint32 encrypted_frame[2]; /* first opaque record by role */
    guint encrypted_count[2];   /* opaque records by role, alert-sized ones aside */
    guint32 first_encrypted_len[2];
    /* TLS 1.3: the first server record (not an alert) after the client's
     * final flight, which proves the server accepted it. */
    guint32 server_after_client_final;
    GArray *alerts; /* apg_alert_seen */
    guint32 fin_frame[2], rst_frame[2];
    gboolean server_payload_seen;
    guint32 non_tls_frame; /* the server's first payload is not TLS */
    apg_step *ladder;      /* n_steps of them, in a block sized for handshakes (no GArray
                            * header, grown by half) */
    guint16 n_steps;       /* at most APG_MAX_EVENTS_PER_HANDSHAKE */
    guint16 steps_room;
    guint n_events; /* grows on every observation */
    /* What shows whether the capture holds both directions and enough time. */
    gboolean server_packet_seen; /* any TCP segment from the server (an ACK will do) */
    guint32 client_acks_unseen;  /* the client acknowledged server bytes the capture lacks */
    guint32 out_of_order_frame;  /* a segment that arrived after later ones (apg_reorder.h) */
    apg_seq_track seq_track[2];  /* per role: the bytes seen, the last gap */
    guint32 client_kx_frame;     /* ClientKeyExchange: the client went on to its second flight */
    gint64 client_hello_time_us;
    gint64 close_time_us; /* the first FIN or RST, either side */
    /* TLS 1.3 without keys: the encrypted records of each side's flight, in
     * order (OpenSSL and Java send one message per record), and a short
     * server record after the client's flight that may be a padded alert. */
    guint16 flight_len[2][8];
    guint8 n_flight[2];
    guint32 flight_end_frame[2]; /* the frame of each flight's last record noted */
    /* TLS 1.3 without keys: the client's first alert-sized record after its
     * first encrypted one (its close_notify, most often); not counted in
     * encrypted_count. */
    guint32 client_short_after_final;
    guint32 short_server_frame;
    guint32 short_server_len;
    guint32 ske_frame;         /* ServerKeyExchange */
    guint16 dh_bits;           /* its DHE prime's size, 0 if not DHE */
    guint32 ssl2_server_frame; /* an SSL 2.0 SERVER-HELLO */
    guint32 superseded_frame;  /* the client's next ClientHello began a new handshake */
    guint32 client_handshake_after_finished; /* e.g. an encrypted renegotiation request */
    guint32 proxy_frame;
    gboolean profiled;        /* already taught to its server's profile */
    apg_path_report *too_big; /* [2] by role, allocated at the first report; NULL: none */
} apg_handshake;

typedef struct apg_shared apg_shared;

/* A forward proxy's leg (HTTP CONNECT, as a Message Processor reaches its
 * backend through a corporate proxy): what the client asked the proxy for,
 * and its answer. */
typedef struct {
    guint32 connect_frame, status_frame;
    guint16 status;     /* the proxy's HTTP status, 0 before it answered */
    int client;         /* endpoint index of the CONNECT's sender */
    const char *target; /* host:port asked for (interned) */
} apg_proxy_leg;

/* 2xx opens the tunnel (RFC 9110 9.3.6); anything else refuses it. */
static inline gboolean apg_proxy_opened(guint16 status)
{
    return status >= 200 && status < 300;
}

typedef struct {
    guint32 stream; /* tcp.stream, for display */
    /* by endpoint index: 0 sent the conversation's first TLS packet the
     * glue saw; bytes, made text only when shown */
    apg_endpoint endpoint[2];
    GPtrArray *handshakes; /* apg_handshake*, in order */
    guint32 fin_frame[2];  /* by endpoint: TCP closes are shared by handshakes */
    guint32 rst_frame[2];
    apg_shared *shared; /* the capture's store of what handshakes share */
    gboolean owns_shared;
    /* the client before any TLS message says: from the TCP handshake or the
     * ports (set when the conversation opens); -1 if neither tells */
    int client_hint;
    apg_roles_from hint_from;
    apg_proxy_leg proxy; /* an HTTP CONNECT that opened the stream, if any */
} apg_conversation;

/* shared: the capture's store (apg_shared.h); NULL gives the conversation
 * one of its own. */
apg_conversation *apg_conv_new(guint32 stream, apg_shared *shared);
void apg_conv_free(apg_conversation *conv);

/* Feeds one event. Returns the handshake it belongs to, or NULL when it
 * belongs to none (TCP events before any TLS). */
apg_handshake *apg_conv_observe(apg_conversation *conv, const apg_event *ev);

apg_role apg_hs_role_of(const apg_handshake *hs, int endpoint);
/* Which of the conversation's two peers ep is: 0, 1, or -1 for neither. */
int apg_conv_peer_index(const apg_conversation *conv, const apg_endpoint *ep);
/* A handshake's client or server. */
const apg_endpoint *apg_conv_endpoint(const apg_conversation *conv, const apg_handshake *hs,
                                      apg_role role);
/* The hellos and the CertificateRequest, as they come (core/apg_hello.c). */
void apg_hs_record_hello(apg_shared *sh, apg_handshake *hs, const apg_event *ev);
void apg_hs_record_cert_request(apg_handshake *hs, const apg_event *ev);
/* An HTTP CONNECT or the proxy's answer, noted on the conversation
 * (core/apg_proxy.c): TRUE when the proxy refused the tunnel, which then
 * takes a handshake of its own. */
gboolean apg_conv_note_proxy(apg_conversation *conv, const apg_event *ev);
/* The server's ALPN choice: in its ServerHello, or TLS 1.3 EncryptedExtensions. */
void apg_hs_note_alpn(apg_shared *sh, apg_handshake *hs, const apg_event *ev);

/* Learns the roles from a message only one side sends, unless something
 * stronger (the ClientHello, the TCP handshake) decided them. */
void apg_hs_learn_roles(apg_handshake *hs, const apg_event *ev);
/* Sets the conversation's client hint once its endpoints are set: the TCP
 * handshake's opener when it was seen (its port; 0 if not), else the side
 * that does not listen (an ephemeral port against a fixed one, a high port
 * against a well-known one), else none. */
void apg_conv_hint_roles(apg_conversation *conv, guint16 tcp_client_port);
/* The latest established/open handshake of a conversation, or NULL. */
apg_handshake *apg_conv_current(const apg_conversation *conv);

/* The negotiated version: supported_versions of the ServerHello, else its
 * legacy version; TLS 1.3 after a HelloRetryRequest alone; 0 when the
 * server's hello was not seen. */
guint16 apg_hs_negotiated_version(const apg_handshake *hs);
/* The server resumed a session (an abbreviated handshake): TLS 1.3 accepted
 * a pre-shared key; earlier versions went from ServerHello straight to
 * ChangeCipherSpec, with no Certificate, key exchange or ServerHelloDone. */
gboolean apg_hs_resumed(const apg_handshake *hs);
/* TLS 1.3 drafts (0x7fXX) read as TLS 1.3; other values unchanged. */
guint16 apg_version_normalize(guint16 v);
gboolean apg_version_is_draft(guint16 v);
/* The highest version the ClientHello offers (supported_versions first). */
guint16 apg_offer_highest_version(const apg_offer *offer);

#endif /* APG_HANDSHAKE_H */
