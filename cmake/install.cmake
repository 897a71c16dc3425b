# Installing psm (cmake --install build [--prefix P], DESTDIR works) and
# its Debian package (cpack -G DEB in the build directory). The files and
# where they go are listed in README.md, "Install"; t9000 checks each one.
include(GNUInstallDirs)

install(TARGETS psm RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(FILES psm.1 DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)

# Completions, where each shell looks for them by itself: bash-completion
# loads completions/<command> on first use, zsh's vendor-completions is
# in Debian's fpath, fish reads vendor_completions.d.
install(FILES completion/psm.bash
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/bash-completion/completions
        RENAME psm)
install(FILES completion/_psm
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/zsh/vendor-completions)
install(FILES completion/psm.fish
        DESTINATION ${CMAKE_INSTALL_DATAROOTDIR}/fish/vendor_completions.d)

file(GLOB PSM_DOCS CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/docs/*.md)
install(FILES README.md ${PSM_DOCS} DESTINATION ${CMAKE_INSTALL_DOCDIR})

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME psm)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "product service management in the terminal, kept in git")
set(CPACK_PACKAGE_DESCRIPTION "psm keeps customer feedback as one Markdown file per issue \
in a git repository and helps a product team take it in, triage it, act on it and \
tell the customers who asked.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(PSM_PACKAGE_MAINTAINER "psm maintainers <psm@example.invalid>" CACHE STRING
    "Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${PSM_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION vcs)
# The libraries psm links, as dpkg-shlibdeps finds them (libgit2, libyaml,
# cmark, jansson, GMime and GLib, libxml2, libc...), and libcurl; git itself
# for the merge driver and the repository psm works in. Sending mail
# (reply --send, followup --send) needs a sendmail command (msmtp, or any
# mail transport agent) unless psm.smtpServer is set.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "git")
# libcurl is loaded on first use, not linked (lib/mail/curl-int.h), so
# dpkg-shlibdeps cannot see it: depend on the package holding its SONAME.
set(psm_curl_package "libcurl4")
if(PSM_CURL_LIBRARY)
  get_filename_component(psm_curl_dir ${PSM_CURL_LIBRARY} DIRECTORY)
  execute_process(COMMAND dpkg-query -S ${psm_curl_dir}/${PSM_LIBCURL_SONAME}
                  OUTPUT_VARIABLE psm_curl_owner ERROR_QUIET)
  if(psm_curl_owner MATCHES "^([^:, ]+)")
    set(psm_curl_package "${CMAKE_MATCH_1}")
  endif()
endif()
string(APPEND CPACK_DEBIAN_PACKAGE_DEPENDS ", ${psm_curl_package}")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion, man-db")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "msmtp | mail-transport-agent")
include(CPack)
