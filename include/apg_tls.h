/* apg_tls.h - the TLS wire vocabulary, defined once: versions, record content
 * types, handshake message types, alert levels and descriptions. Each table
 * is a list macro giving the constant, its number on the wire and its one
 * display spelling; the enums below and the names in apg_text.c are made from
 * it, so a number or a name is never written twice.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_TLS_H
#define APG_TLS_H

/* Protocol versions as on the wire (RFC 8446 appendix D; SSL 2.0's own). */
#define APG_TLS_VERSIONS(X)                                                                        \
    X(SSL2, 0x0002, "SSLv2")                                                                       \
    X(SSL3, 0x0300, "SSLv3")                                                                       \
    X(TLS10, 0x0301, "TLSv1.0")                                                                    \
    X(TLS11, 0x0302, "TLSv1.1")                                                                    \
    X(TLS12, 0x0303, "TLSv1.2")                                                                    \
    X(TLS13, 0x0304, "TLSv1.3")

/* Record content types (RFC 8446 section 5.1; heartbeat RFC 6520). */
#define APG_TLS_CONTENT_TYPES(X)                                                                   \
    X(CHANGE_CIPHER_SPEC, 20, "ChangeCipherSpec")                                                  \
    X(ALERT, 21, "Alert")                                                                          \
    X(HANDSHAKE, 22, "Handshake")                                                                  \
    X(APPLICATION_DATA, 23, "ApplicationData")                                                     \
    X(HEARTBEAT, 24, "Heartbeat")

/* Handshake message types (RFC 8446 section 4, RFC 5246 section 7.4, RFC 6066). */
#define APG_TLS_HANDSHAKE_TYPES(X)                                                                 \
    X(HELLO_REQUEST, 0, "HelloRequest")                                                            \
    X(CLIENT_HELLO, 1, "ClientHello")                                                              \
    X(SERVER_HELLO, 2, "ServerHello")                                                              \
    X(NEW_SESSION_TICKET, 4, "NewSessionTicket")                                                   \
    X(END_OF_EARLY_DATA, 5, "EndOfEarlyData")                                                      \
    X(ENCRYPTED_EXTENSIONS, 8, "EncryptedExtensions")                                              \
    X(CERTIFICATE, 11, "Certificate")                                                              \
    X(SERVER_KEY_EXCHANGE, 12, "ServerKeyExchange")                                                \
    X(CERT_REQUEST, 13, "CertificateRequest")                                                      \
    X(SERVER_HELLO_DONE, 14, "ServerHelloDone")                                                    \
    X(CERTIFICATE_VERIFY, 15, "CertificateVerify")                                                 \
    X(CLIENT_KEY_EXCHANGE, 16, "ClientKeyExchange")                                                \
    X(FINISHED, 20, "Finished")                                                                    \
    X(CERTIFICATE_STATUS, 22, "CertificateStatus")                                                 \
    X(KEY_UPDATE, 24, "KeyUpdate")

/* Alert levels (RFC 5246 section 7.2). */
#define APG_TLS_ALERT_LEVELS(X)                                                                    \
    X(WARNING, 1, "warning")                                                                       \
    X(FATAL, 2, "fatal")

/* Alert descriptions (RFC 8446 section 6, RFC 5246 section 7.2). */
#define APG_TLS_ALERTS(X)                                                                          \
    X(CLOSE_NOTIFY, 0, "close_notify")                                                             \
    X(UNEXPECTED_MESSAGE, 10, "unexpected_message")                                                \
    X(BAD_RECORD_MAC, 20, "bad_record_mac")                                                        \
    X(DECRYPTION_FAILED, 21, "decryption_failed")                                                  \
    X(RECORD_OVERFLOW, 22, "record_overflow")                                                      \
    X(DECOMPRESSION_FAILURE, 30, "decompression_failure")                                          \
    X(HANDSHAKE_FAILURE, 40, "handshake_failure")                                                  \
    X(NO_CERTIFICATE, 41, "no_certificate")                                                        \
    X(BAD_CERTIFICATE, 42, "bad_certificate")                                                      \
    X(UNSUPPORTED_CERTIFICATE, 43, "unsupported_certificate")                                      \
    X(CERTIFICATE_REVOKED, 44, "certificate_revoked")                                              \
    X(CERTIFICATE_EXPIRED, 45, "certificate_expired")                                              \
    X(CERTIFICATE_UNKNOWN, 46, "certificate_unknown")                                              \
    X(ILLEGAL_PARAMETER, 47, "illegal_parameter")                                                  \
    X(UNKNOWN_CA, 48, "unknown_ca")                                                                \
    X(ACCESS_DENIED, 49, "access_denied")                                                          \
    X(DECODE_ERROR, 50, "decode_error")                                                            \
    X(DECRYPT_ERROR, 51, "decrypt_error")                                                          \
    X(EXPORT_RESTRICTION, 60, "export_restriction")                                                \
    X(PROTOCOL_VERSION, 70, "protocol_version")                                                    \
    X(INSUFFICIENT_SECURITY, 71, "insufficient_security")                                          \
    X(INTERNAL_ERROR, 80, "internal_error")                                                        \
    X(INAPPROPRIATE_FALLBACK, 86, "inappropriate_fallback")                                        \
    X(USER_CANCELED, 90, "user_canceled")                                                          \
    X(NO_RENEGOTIATION, 100, "no_renegotiation")                                                   \
    X(MISSING_EXTENSION, 109, "missing_extension")                                                 \
    X(UNSUPPORTED_EXTENSION, 110, "unsupported_extension")                                         \
    X(CERTIFICATE_UNOBTAINABLE, 111, "certificate_unobtainable")                                   \
    X(UNRECOGNIZED_NAME, 112, "unrecognized_name")                                                 \
    X(BAD_CERTIFICATE_STATUS_RESPONSE, 113, "bad_certificate_status_response")                     \
    X(BAD_CERTIFICATE_HASH_VALUE, 114, "bad_certificate_hash_value")                               \
    X(UNKNOWN_PSK_IDENTITY, 115, "unknown_psk_identity")                                           \
    X(CERTIFICATE_REQUIRED, 116, "certificate_required")                                           \
    X(NO_APPLICATION_PROTOCOL, 120, "no_application_protocol")

/* Extensions the extraction reads from their own bytes (RFC 8446 4.2). */
#define APG_TLS_EXTENSIONS(X)                                                                      \
    X(SUPPORTED_GROUPS, 10, "supported_groups")                                                    \
    X(SIGNATURE_ALGORITHMS, 13, "signature_algorithms")                                            \
    X(ALPN, 16, "application_layer_protocol_negotiation")                                          \
    X(PRE_SHARED_KEY, 41, "pre_shared_key")                                                        \
    X(KEY_SHARE, 51, "key_share")

#define APG_TLS_ENUM_VERSION(id, number, name) APG_##id = number,
#define APG_TLS_ENUM_CT(id, number, name)      APG_CT_##id = number,
#define APG_TLS_ENUM_HS(id, number, name)      APG_HS_##id = number,
#define APG_TLS_ENUM_LEVEL(id, number, name)   APG_ALERT_LEVEL_##id = number,
#define APG_TLS_ENUM_ALERT(id, number, name)   APG_ALERT_##id = number,
#define APG_TLS_ENUM_EXT(id, number, name)     APG_EXT_##id = number,
enum { APG_TLS_VERSIONS(APG_TLS_ENUM_VERSION) };
enum { APG_TLS_CONTENT_TYPES(APG_TLS_ENUM_CT) };
enum { APG_TLS_HANDSHAKE_TYPES(APG_TLS_ENUM_HS) };
enum { APG_TLS_ALERT_LEVELS(APG_TLS_ENUM_LEVEL) };
enum { APG_TLS_ALERTS(APG_TLS_ENUM_ALERT) };
enum { APG_TLS_EXTENSIONS(APG_TLS_ENUM_EXT) };

/* SSL 3.0 or a TLS version (major 3), not a GREASE value (0x?a?a, RFC 8701). */
static inline int apg_is_tls_version(unsigned v)
{
    return (v >> 8) == 3 && (v & 0x0f0f) != 0x0a0a;
}

/* SSL 2.0 has a record layer and message numbering of its own (its draft
 * specification, appendix B). */
#define APG_SSL2_MESSAGES(X)                                                                       \
    X(CLIENT_HELLO, 1, "ClientHello")                                                              \
    X(CLIENT_MASTER_KEY, 2, "ClientMasterKey")                                                     \
    X(CLIENT_FINISHED, 3, "ClientFinished")                                                        \
    X(SERVER_HELLO, 4, "ServerHello")                                                              \
    X(SERVER_VERIFY, 5, "ServerVerify")                                                            \
    X(SERVER_FINISHED, 6, "ServerFinished")
#define APG_TLS_ENUM_SSL2(id, number, name) APG_SSL2_##id = number,
enum { APG_SSL2_MESSAGES(APG_TLS_ENUM_SSL2) };

#endif /* APG_TLS_H */
