# Installs the "Apigee-HS" configuration profile (run by cmake --install; the
# caller sets APG_PROFILE_SRC, APG_PROFILE_DEST and APG_WS_DEFAULT_COLORFILTERS).
# DESTDIR is honoured: file(INSTALL) prepends it itself, file(WRITE) and
# EXISTS are given it.
set(dest "$ENV{DESTDIR}${APG_PROFILE_DEST}")
file(INSTALL "${APG_PROFILE_SRC}/preferences" "${APG_PROFILE_SRC}/dfilter_buttons"
     "${APG_PROFILE_SRC}/profile_settings" DESTINATION "${APG_PROFILE_DEST}")
# The column widths: only into a profile that has none, so a user's own stay.
if(NOT EXISTS "${dest}/recent")
  file(INSTALL "${APG_PROFILE_SRC}/recent" DESTINATION "${APG_PROFILE_DEST}")
endif()
# Colouring rules: Wireshark's "Bad TCP" first (TCP problems keep their colour),
# then ours, then Wireshark's other defaults.
file(READ "${APG_PROFILE_SRC}/colorfilters" ours)
set(bad_tcp "")
set(others "")
if(EXISTS "${APG_WS_DEFAULT_COLORFILTERS}")
  file(READ "${APG_WS_DEFAULT_COLORFILTERS}" others)
  string(REGEX MATCH "@Bad TCP@[^\n]*\n" bad_tcp "${others}")
  if(bad_tcp)
    string(REPLACE "${bad_tcp}" "" others "${others}")
  endif()
endif()
file(WRITE "${dest}/colorfilters" "${bad_tcp}${ours}${others}")
message(STATUS "Installing: ${dest} (configuration profile)")
