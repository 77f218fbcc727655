# The public prefix, checked by the build (STYLE.md 5; REBOUND's CI does the
# same with nm): every symbol a lunarsim library exports must start with
# "lsim_", so linking lunarsim into another program cannot clash with its names.
#
#   cmake -DNM=<nm> -DLIBS=<lib>|<lib>|... -DBUILD_DIR=<dir> -P exported_symbols.cmake
#
# LIBS are the libraries the build knows (generator expressions in
# tests/input/CMakeLists.txt); every liblsim_*.a found under BUILD_DIR is
# checked as well, so a library added later without a line there is not
# missed. Checked kinds: T (code), D and G (initialised data), B and S
# (zero-initialised data), R (read-only data). Common symbols (C) are left
# out: the only ones are the compiler's .gomp_critical_user_<name> locks for
# named OpenMP critical sections, whose names we do not choose (and
# -fno-common makes a tentative definition of ours a B).
if(NOT NM OR NOT LIBS)
  message(FATAL_ERROR "exported_symbols.cmake needs -DNM=... and -DLIBS=...")
endif()
string(REPLACE "|" ";" libs "${LIBS}")
if(BUILD_DIR)
  file(GLOB_RECURSE found "${BUILD_DIR}/liblsim_*.a")
  list(APPEND libs ${found})
endif()
list(REMOVE_DUPLICATES libs)

set(bad "")
set(checked 0)
foreach(lib IN LISTS libs)
  if(NOT EXISTS "${lib}")
    message(FATAL_ERROR "${lib}: not built")
  endif()
  execute_process(COMMAND "${NM}" -g --defined-only -P "${lib}"
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${NM} failed on ${lib}: ${err}")
  endif()
  get_filename_component(lib_name "${lib}" NAME)
  string(REPLACE "\n" ";" lines "${out}")
  set(object "")
  foreach(line IN LISTS lines)
    # POSIX format: "archive[member.o]:" opens a member, then "name type value size".
    if(line MATCHES "\\[(.*)\\]:$")
      set(object "${CMAKE_MATCH_1}")
    elseif(line MATCHES "^([^ ]+) ([TDBRGS]) ")
      math(EXPR checked "${checked} + 1")
      set(symbol "${CMAKE_MATCH_1}")
      set(kind "${CMAKE_MATCH_2}")
      # AddressSanitizer adds "__odr_asan.<name>" for each exported global
      # (the name itself is checked on its own line); they are the
      # instrumentation's, not ours.
      if(symbol MATCHES "^__odr_asan[.]")
        continue()
      endif()
      if(NOT symbol MATCHES "^lsim_")
        string(APPEND bad "  ${lib_name}(${object}): ${symbol} (${kind})\n")
      endif()
    endif()
  endforeach()
endforeach()

list(LENGTH libs lib_count)
if(bad)
  message(FATAL_ERROR "exported symbols without the lsim_ prefix (make them static or rename them):\n${bad}")
endif()
if(checked EQUAL 0)
  message(FATAL_ERROR "no exported symbols found in ${lib_count} libraries: is the nm output format understood?")
endif()
message(STATUS "${checked} exported symbols in ${lib_count} libraries, all prefixed lsim_")
