/* apg_capture.h - the state of one capture file: its conversations and
 * handshakes, which handshake each frame belongs to, the certificates it
 * holds (parsed and checked once each), what each server did, and the
 * capture's end. The glue extracts events from the first pass and renders;
 * everything that lasts for the file lives here.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_CAPTURE_H
#define APG_CAPTURE_H

#include "apg_apigee_advice.h"
#include "apg_config.h"
#include "apg_stream_notes.h"

/* One frame: every frame of the first pass, TCP or not (the capture's end
 * so far); stream and endpoints matter only for TCP frames. */
typedef struct {
    guint32 frame;
    gint64 time_us; /* capture time */
    guint32 stream; /* tcp.stream */
    apg_endpoint src, dst;
} apg_frame_in;

/* Where a frame's events went. Zero it before the frame's first event. */
typedef struct {
    apg_conversation *conv;
    apg_handshake *hs;
    guint32 conv_index;
} apg_frame_ref;

typedef struct apg_capture apg_capture;

/* The config must outlive the capture (the preferences' own struct);
 * missing_fields ("tls.x, tcp.y": fields this Wireshark lacks, or NULL)
 * too. */
apg_capture *apg_capture_new(const apg_config *config, const char *missing_fields);
void apg_capture_free(apg_capture *cap);

/* The pieces of apg_capture_report(), for the tests and the benchmark. */

/* Every frame of the first pass, TCP or not: the capture's end so far. */
void apg_capture_note_time(apg_capture *cap, gint64 time_us);
gint64 apg_capture_end_us(const apg_capture *cap);

/* Feeds one event of a TCP frame (sender set here from the endpoints). A
 * stream's first TLS event opens its conversation; TCP events of streams
 * without TLS cost nothing. ref->hs is the handshake the frame belongs to. */
void apg_capture_observe(apg_capture *cap, const apg_frame_in *in, const apg_event *ev,
                         apg_frame_ref *ref);
/* Remembers, for the passes after the first, the handshake of a frame read
 * in the first pass (frames come in order). */
void apg_capture_index_frame(apg_capture *cap, guint32 frame, const apg_frame_ref *ref);
gboolean apg_capture_lookup_frame(const apg_capture *cap, guint32 frame, apg_frame_ref *out);

/* TLS that Wireshark did not decode, on a stream TLS never opened: the
 * note of this frame (the stream's first TLS-looking segment), once the
 * capture is settled (later passes) or when its record is whole there (a
 * single pass cannot wait for the rest of the stream). */
const apg_undecoded *apg_capture_undecoded_at(const apg_capture *cap, guint32 frame,
                                              gboolean settled);
/* Every such stream (a container to free; more: left out by the bound), and
 * the refused connections. */
GPtrArray *apg_capture_undecoded(const apg_capture *cap, guint *more);
const GPtrArray *apg_capture_refused(const apg_capture *cap, guint *more);

/* Every conversation with TLS, in order of first frame. */
const GPtrArray *apg_capture_conversations(const apg_capture *cap);

/* The outcome of a handshake: as far as the frames read so far tell
 * (whole_capture FALSE), or judged at the capture's end. */
apg_verdict apg_capture_evaluate(const apg_capture *cap, const apg_handshake *hs,
                                 gboolean whole_capture);
/* Teaches the server's profile from an established handshake, once. */
void apg_capture_learn(apg_capture *cap, const apg_conversation *conv, apg_handshake *hs,
                       const apg_verdict *v);
/* Whether this frame carries the handshake's verdict (its expert entries,
 * tap row, apigee_hs.verdict_here): the deciding frame, or, for verdicts
 * only the end of the capture decides, the handshake's first frame. A single
 * pass that learns of its deciding frame only later shows it on the frame
 * that settled it, once; later passes keep that frame. */
gboolean apg_capture_verdict_here(const apg_verdict *v, apg_handshake *hs, guint32 frame,
                                  gboolean visited);

/* A handshake seen with what the capture and the preferences know of its
 * server, its certificates and its leg. */
typedef struct {
    apg_diagnosis d;
    apg_direction direction;
    const apg_chain_report *chain;        /* the server's: points into checked[] */
    const apg_chain_report *client_chain; /* two-way TLS */
    apg_chain_report checked[2];          /* owned; apg_view_clear() frees them */
    apg_ca_match ca_match; /* the CertificateRequest's CAs against the client's chain; owned */
    /* every certificate as sent, parsed (malformed ones too), the first
     * APG_MAX_CERTS of each: filled by apg_capture_report() for a tree */
    const apg_cert *server_certs[APG_MAX_CERTS], *client_certs[APG_MAX_CERTS];
    guint n_server_certs, n_client_certs;
    /* the handshake against the user's Apigee export (apigee_config): the
     * match and the remedy that names the setting; owned */
    apg_apigee_advice advice;
} apg_view;

/* The checked chains and the leg, no diagnosis (d stays empty). */
void apg_capture_view(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                      apg_view *out);
/* The same and the diagnosis of the verdict; a call the client abandoned
 * over its certificate becomes failed in v (apg_verdict_abandoned). */
void apg_capture_diagnose(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                          apg_verdict *v, apg_view *out);
void apg_view_clear(apg_view *view);
/* The fix to show: the one naming the user's setting, else the playbook's. */
const char *apg_view_remedy(const apg_view *view);

/* What one frame shows: everything the glue draws, taps and turns into
 * expert entries, and nothing it must look up elsewhere. */
typedef struct {
    const apg_conversation *conv;
    const apg_handshake *hs;
    apg_verdict verdict;
    gboolean here;          /* the frame carries the verdict: tap row, expert entries */
    gboolean shows_outcome; /* the outcome is known on this frame: later passes, or here */
    gboolean filled;        /* view is filled: a tree is drawn, or here */
    apg_view view;          /* the chains and the leg; the diagnosis when shows_outcome */
    const GPtrArray *config_problems; /* char*: preference values that could not be used */
    const char *missing_fields;       /* fields this Wireshark lacks, or NULL */
    const apg_apigee *apigee;         /* the user's Apigee export, or NULL */
} apg_report;

/* Answers one frame. first_pass is where the frame's events went
 * (apg_capture_observe; zeroed for a frame without any), NULL on the passes
 * after the first, which find the frame in the index. drawn: whether a tree
 * will be drawn; without one only the frame carrying the verdict is filled.
 * FALSE when the frame belongs to no handshake. */
gboolean apg_capture_report(apg_capture *cap, const apg_frame_in *in,
                            const apg_frame_ref *first_pass, gboolean drawn, apg_report *out);
/* A handshake as the whole capture settles it: the -z tables' rows. */
void apg_capture_settled(apg_capture *cap, const apg_conversation *conv, const apg_handshake *hs,
                         apg_report *out);
void apg_report_clear(apg_report *r);

#endif /* APG_CAPTURE_H */
