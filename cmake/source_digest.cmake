# cmake -DOUTPUT=header -DNAME=MACRO -DROOT=dir -DFILES="a|b|..." -P source_digest.cmake
# Writes `#define NAME "<sha256>"` over the files' names (relative to ROOT) and contents, so a
# build can tell which code made a result that outlives it. '|' separates the files: a ';'
# would split the argument on its way through add_custom_command.
string(REPLACE "|" ";" FILES "${FILES}")
set(text "")
list(SORT FILES)
foreach(file IN LISTS FILES)
  file(RELATIVE_PATH name "${ROOT}" "${file}")
  file(SHA256 "${file}" digest)
  string(APPEND text "${name} ${digest}\n")
endforeach()
string(SHA256 total "${text}")
file(WRITE "${OUTPUT}" "#pragma once\n#define ${NAME} \"${total}\"\n")
