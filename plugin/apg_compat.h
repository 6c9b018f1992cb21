/* apg_compat.h - every difference between the Wireshark versions we build
 * against lives here, keyed on ws_version.h. Nothing else tests versions.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef APG_COMPAT_H
#define APG_COMPAT_H

#include <wireshark.h> /* pulls in ws_version.h */
#include <epan/proto.h>
#include <epan/ftypes/ftypes.h>

#define APG_WS_AT_LEAST(maj, min)                                                                  \
    (WIRESHARK_VERSION_MAJOR > (maj) ||                                                            \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* Subtree ids must start at -1 on 4.0; later versions accept -1 too. */
#define APG_ETT_INIT (-1)
#define APG_HF_INIT  (-1)

#if APG_WS_AT_LEAST(4, 2)
/* 4.2 made field_info.value a pointer and bool preferences bool*. */
#define APG_FI_VALUE(fi) ((fi)->value)
#define APG_FI_BYTES(fi) (fvalue_get_bytes_data((fi)->value))
typedef bool apg_pref_bool;
#else
#define APG_FI_VALUE(fi) (&(fi)->value)
#define APG_FI_BYTES(fi) (fvalue_get_bytes(&(fi)->value))
typedef gboolean apg_pref_bool;
#endif

#if APG_WS_AT_LEAST(4, 6)
/* 4.6 moved value strings from epan to wsutil. */
#include <wsutil/value_string.h>
#else
#include <epan/value_string.h>
#endif

#if APG_WS_AT_LEAST(4, 6)
/* 4.6 -z callbacks report whether they started. */
#define APG_TAP_INIT_RET          bool
#define APG_TAP_INIT_DONE(ok)     return (ok)
#define APG_TAP_INIT_RETURN(call) return (call)
#else
#define APG_TAP_INIT_RET          void
#define APG_TAP_INIT_DONE(ok)     ((void)(ok))
#define APG_TAP_INIT_RETURN(call) (call)
#endif

#if APG_WS_AT_LEAST(4, 4)
/* 4.4 deprecated the glib-typed tvb getters (tvb_get_uint8 came in 4.2). */
#define apg_tvb_get_u8 tvb_get_uint8
#else
#define apg_tvb_get_u8 tvb_get_guint8
#endif

#if APG_WS_AT_LEAST(4, 4)
/* 4.4 asks plugins to describe themselves for -G plugins and About. */
#include <wsutil/plugins.h>
#define APG_HAVE_PLUGIN_DESCRIBE 1
#endif

#endif /* APG_COMPAT_H */
