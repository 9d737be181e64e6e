// The --mutants-json document of `clockwork verify --mutants`, written as a run goes and read
// back by --mutants-resume.
#pragma once

#include <clockwork/verifier/mutation_run.hpp>

#include <nlohmann/json.hpp>

#include <string>
#include <variant>
#include <vector>

namespace clockwork::cli {

// "heap.cpp:127"
std::string location_text(const verifier::SourceLine& where);

// `complete` is false for a checkpoint of a run still going: the document then holds only the
// mutants decided so far.
nlohmann::json mutants_to_json(const verifier::MutationReport& report, bool complete);

// The verdicts of a document mutants_to_json wrote, or an error line naming the file, what is
// wrong with it, and what to do.
std::variant<verifier::ResumedRun, std::string> read_mutants_json(const std::string& path);

// The verdicts of several such documents of one run (a one-in-N sample and a full run of the same
// inputs, say), where an id named twice keeps the verdict of the first file that names it; or an
// error line when a file cannot be read or two were decided by different inputs.
std::variant<verifier::ResumedRun, std::string>
read_mutants_jsons(const std::vector<std::string>& paths);

} // namespace clockwork::cli
