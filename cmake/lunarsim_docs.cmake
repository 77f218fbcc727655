# The man page lunarsim(1), made by help2man from `lunarsim --help` at build time so it cannot drift
# from the command, and the bash completion; both installed by `cmake --install`.

# Making the page runs the built command; OFF where it cannot run at build time (cross builds, a login node
# that refuses the MPI build's MPI_Init).
option(LSIM_MAN_PAGE "Build the lunarsim(1) man page with help2man when it is installed" ON)
find_program(HELP2MAN_EXECUTABLE help2man)
mark_as_advanced(HELP2MAN_EXECUTABLE)
set(_lsim_man_page ${PROJECT_BINARY_DIR}/man/lunarsim.1)
if(LSIM_MAN_PAGE AND HELP2MAN_EXECUTABLE AND NOT CMAKE_CROSSCOMPILING)
  add_custom_command(OUTPUT ${_lsim_man_page}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
    # --version-string: the release only, not the commit a dirty tree would add.
    COMMAND ${HELP2MAN_EXECUTABLE} --no-info --section 1
            --name "simulate a self-growing lunar industrial chain"
            --version-string ${PROJECT_VERSION}
            --include ${PROJECT_SOURCE_DIR}/cmake/lunarsim.h2m
            --output ${_lsim_man_page} $<TARGET_FILE:lunarsim>
    DEPENDS lunarsim ${PROJECT_SOURCE_DIR}/cmake/lunarsim.h2m
    COMMENT "lunarsim(1) man page (help2man)"
    VERBATIM)
  add_custom_target(lunarsim_man ALL DEPENDS ${_lsim_man_page})
  install(FILES ${_lsim_man_page} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
elseif(LSIM_MAN_PAGE AND NOT HELP2MAN_EXECUTABLE)
  # Said once per build directory, not at every reconfigure.
  if(NOT LSIM_SAID_NO_HELP2MAN)
    message(STATUS "help2man not found: the lunarsim(1) man page is not built (Debian: apt-get install help2man)")
    set(LSIM_SAID_NO_HELP2MAN ON CACHE INTERNAL "the missing help2man was reported")
  endif()
endif()

install(FILES ${PROJECT_SOURCE_DIR}/scripts/lunarsim-completion.bash
  DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions RENAME lunarsim)
