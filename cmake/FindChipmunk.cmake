# Find Chipmunk2D (Debian's libchipmunk-dev ships neither CMake config nor pkg-config).
# Defines Chipmunk_FOUND, Chipmunk_VERSION and the imported target Chipmunk::Chipmunk.
find_path(Chipmunk_INCLUDE_DIR NAMES chipmunk/chipmunk.h)
find_library(Chipmunk_LIBRARY NAMES chipmunk)
if(Chipmunk_INCLUDE_DIR AND EXISTS "${Chipmunk_INCLUDE_DIR}/chipmunk/chipmunk.h")
  file(STRINGS "${Chipmunk_INCLUDE_DIR}/chipmunk/chipmunk.h" _cp_version_lines
       REGEX "#define CP_VERSION_(MAJOR|MINOR|RELEASE) [0-9]+")
  foreach(_part MAJOR MINOR RELEASE)
    string(REGEX MATCH "CP_VERSION_${_part} ([0-9]+)" _m "${_cp_version_lines}")
    set(_cp_${_part} "${CMAKE_MATCH_1}")
  endforeach()
  set(Chipmunk_VERSION "${_cp_MAJOR}.${_cp_MINOR}.${_cp_RELEASE}")
endif()
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Chipmunk
  REQUIRED_VARS Chipmunk_LIBRARY Chipmunk_INCLUDE_DIR
  VERSION_VAR Chipmunk_VERSION)
if(Chipmunk_FOUND AND NOT TARGET Chipmunk::Chipmunk)
  add_library(Chipmunk::Chipmunk UNKNOWN IMPORTED)
  set_target_properties(Chipmunk::Chipmunk PROPERTIES
    IMPORTED_LOCATION "${Chipmunk_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${Chipmunk_INCLUDE_DIR}")
  find_library(_cp_libm m)
  if(_cp_libm)
    set_property(TARGET Chipmunk::Chipmunk APPEND PROPERTY INTERFACE_LINK_LIBRARIES ${_cp_libm})
  endif()
endif()
mark_as_advanced(Chipmunk_INCLUDE_DIR Chipmunk_LIBRARY)
