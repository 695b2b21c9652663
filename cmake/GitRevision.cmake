# Regenerates build/generated/git_revision.cpp on every build; the file only changes (and
# only then recompiles) when the revision does.
set(SCIPERF_GIT_REVISION_CPP ${PROJECT_BINARY_DIR}/generated/git_revision.cpp)
add_custom_target(sciperf_git_revision
  COMMAND ${CMAKE_COMMAND} -DSOURCE_DIR=${PROJECT_SOURCE_DIR} -DOUTPUT=${SCIPERF_GIT_REVISION_CPP}
          -P ${PROJECT_SOURCE_DIR}/cmake/WriteGitRevision.cmake
  BYPRODUCTS ${SCIPERF_GIT_REVISION_CPP}
  COMMENT "sciperf git revision")
