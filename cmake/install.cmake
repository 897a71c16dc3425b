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
# cmark, jansson, GLib, SQLite, libc...), and the ones it loads on first
# use (GMime, libxml2, libcurl); git itself for the merge driver and the
# repository psm works in. Sending mail (reply --send, followup --send)
# needs a sendmail command (msmtp, or any mail transport agent) unless
# psm.smtpServer is set.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "git")
# A library loaded on first use, not linked (psm/dl.h), is one
# dpkg-shlibdeps cannot see: depend on the package holding its SONAME.
function(psm_depend_on_soname library soname default)
  set(package "${default}")
  if(library)
    get_filename_component(dir ${library} DIRECTORY)
    execute_process(COMMAND dpkg-query -S ${dir}/${soname}
                    OUTPUT_VARIABLE owner ERROR_QUIET)
    if(owner MATCHES "^([^:, ]+)")
      set(package "${CMAKE_MATCH_1}")
    endif()
  endif()
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "${CPACK_DEBIAN_PACKAGE_DEPENDS}, ${package}" PARENT_SCOPE)
endfunction()
psm_depend_on_soname("${PSM_GMIME_LIBRARY}" "${PSM_GMIME_SONAME}" "libgmime-3.0-0")
psm_depend_on_soname("${PSM_XML2_LIBRARY}" "${PSM_XML2_SONAME}" "libxml2")
psm_depend_on_soname("${PSM_CURL_LIBRARY}" "${PSM_CURL_SONAME}" "libcurl4")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "bash-completion, man-db")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "msmtp | mail-transport-agent")
include(CPack)
