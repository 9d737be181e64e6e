#include <clockwork/reports/audit_report.hpp>

#include <clockwork/reports/evidence_json.hpp>

#include "markup.hpp"

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

namespace clockwork::reports {

namespace {

// One document, two renderings: the content is decided once, here, and each writer only
// formats headings, paragraphs and tables.
struct Table {
    std::vector<std::string> headers;
    std::vector<std::vector<std::string>> rows;
};

struct Block {
    enum Kind { heading, paragraph, table } kind = paragraph;
    unsigned level = 2; // heading
    std::string text;   // heading, paragraph
    Table rows;         // table
};

using Document = std::vector<Block>;

void heading(Document& d, unsigned level, std::string text) {
    d.push_back({Block::heading, level, std::move(text), {}});
}
void paragraph(Document& d, std::string text) {
    d.push_back({Block::paragraph, 0, std::move(text), {}});
}
void table(Document& d, Table t) {
    if (!t.rows.empty()) {
        d.push_back({Block::table, 0, {}, std::move(t)});
    }
}

const char* verdict_name(Verdict v) {
    switch (v) {
    case Verdict::pass:
        return "PASS";
    case Verdict::budget_exceeded:
        return "BUDGET EXCEEDED";
    case Verdict::unsound:
        return "UNSOUND";
    case Verdict::error:
        break;
    }
    return "ERROR";
}

const char* status_name(ProofStatus s) {
    switch (s) {
    case ProofStatus::proven:
        return "proven";
    case ProofStatus::refuted:
        return "refuted";
    case ProofStatus::unknown:
        return "unknown";
    case ProofStatus::vacuous:
        break;
    }
    return "vacuous";
}

const char* provenance_name(LoopBoundProvenance p) {
    switch (p) {
    case LoopBoundProvenance::annotated:
        return "annotated";
    case LoopBoundProvenance::derived:
        return "derived";
    case LoopBoundProvenance::proven:
        break;
    }
    return "proven";
}

std::string hex(uint64_t value) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
    return text;
}

std::string ratio(double value) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f", value);
    return text;
}

std::string where(const SourceLocation& l) {
    return l.file.empty() ? "-" : l.file + ":" + std::to_string(l.line);
}

std::string or_dash(const std::string& s) {
    return s.empty() ? "-" : s;
}

template <class Record>
bool same_subject(const Record& r, const Bound& b) {
    return r.target == b.target && r.allocator == b.allocator && r.function == b.function &&
           r.metric == b.metric;
}

void summary(Document& d, const Evidence& e) {
    heading(d, 2, "Bounds, budgets and measurements");
    paragraph(d, "A bound is sound when no measurement exceeds it; tightness is the bound over "
                 "the highest measurement (1.00: a real execution reaches the bound).");
    Table t{{"target", "allocator", "function", "metric", "bound", "budget", "within budget",
             "highest measured", "tightness", "sound"},
            {}};
    for (const Bound& b : e.bounds) {
        std::vector<std::string> row = {b.target,
                                        or_dash(b.allocator),
                                        b.function,
                                        metric_name(b.metric),
                                        std::to_string(b.value),
                                        "-",
                                        "-",
                                        "-",
                                        "-",
                                        "-"};
        for (const BudgetCheck& c : e.budgets) {
            if (same_subject(c, b)) {
                row[5] = std::to_string(c.budget);
                row[6] = c.within ? "yes" : "NO";
            }
        }
        for (const CrossCheck& c : e.cross_checks) {
            if (same_subject(c, b)) {
                row[7] = std::to_string(c.highest_measured);
                row[8] = ratio(c.tightness);
                row[9] = c.sound ? "yes" : "NO";
            }
        }
        t.rows.push_back(std::move(row));
    }
    table(d, std::move(t));
}

void why(Document& d, const Bound& b) {
    std::string title = b.target + (b.allocator.empty() ? "" : " " + b.allocator) + " " +
                        b.function + ", " + metric_name(b.metric) + ": " + std::to_string(b.value);
    heading(d, 3, std::move(title));
    Table path{{"block", "source", "executions", "cost each", "cost"}, {}};
    for (const WorstPathBlock& w : b.worst_path) {
        path.rows.push_back({hex(w.address), where(w.location), std::to_string(w.count),
                             std::to_string(w.cost), std::to_string(w.count * w.cost)});
    }
    if (!path.rows.empty()) {
        paragraph(d, "Worst path: the blocks the bound counts, with how often they run.");
    }
    table(d, std::move(path));
    Table loops{{"loop", "source", "bound", "provenance", "status"}, {}};
    for (const LoopBound& l : b.loops) {
        loops.rows.push_back({l.function + " " + hex(l.header_address), where(l.location),
                              std::to_string(l.bound), provenance_name(l.provenance),
                              l.proven ? "proven" : "assumed"});
    }
    table(d, std::move(loops));
    Table model{{"timing-model parameter", "value", "source"}, {}};
    for (const TimingParameter& p : b.timing_model) {
        model.rows.push_back({p.name, p.value, p.source});
    }
    table(d, std::move(model));
    Table assumptions{{"assumption about", "statement", "source"}, {}};
    for (const Assumption& a : b.assumptions) {
        assumptions.rows.push_back({a.subject, a.statement, a.source});
    }
    table(d, std::move(assumptions));
}

void proofs(Document& d, const Evidence& e) {
    if (e.proofs.empty()) {
        return;
    }
    heading(d, 2, "Proofs");
    Table t{{"property", "harness", "target", "status", "scope (blocks)", "reason"}, {}};
    for (const Proof& p : e.proofs) {
        t.rows.push_back({p.property, p.harness, or_dash(p.target), status_name(p.status),
                          std::to_string(p.scope_blocks), or_dash(p.reason)});
    }
    table(d, std::move(t));
    for (const Proof& p : e.proofs) {
        if (!p.counterexample) {
            continue;
        }
        heading(d, 3, "Counterexample to " + p.property);
        Table inputs{{"input", "value"}, {}};
        for (const auto& [name, value] : p.counterexample->inputs) {
            inputs.rows.push_back({name, value});
        }
        table(d, std::move(inputs));
        std::string path;
        for (const SourceLocation& l : p.counterexample->path) {
            path += (path.empty() ? "" : " -> ") + where(l);
        }
        paragraph(d, "Path: " + or_dash(path));
        paragraph(d, "Replay: " + or_dash(p.counterexample->replay));
    }
}

void measurements(Document& d, const Evidence& e) {
    if (e.measurements.empty()) {
        return;
    }
    heading(d, 2, "Measurements");
    Table t{{"target", "allocator", "function", "metric", "workload", "calls", "lowest", "highest",
             "witness"},
            {}};
    for (const Measurement& m : e.measurements) {
        t.rows.push_back({m.target, or_dash(m.allocator), m.function, metric_name(m.metric),
                          m.workload, std::to_string(m.calls), std::to_string(m.lowest),
                          std::to_string(m.highest), or_dash(m.witness)});
    }
    table(d, std::move(t));
    constexpr size_t kShown = 12;
    for (const Witness& w : e.witnesses) {
        heading(d, 3, "Witness " + w.id);
        std::string ops;
        const size_t first = w.operations.size() > kShown ? w.operations.size() - kShown : 0;
        for (size_t i = first; i < w.operations.size(); ++i) {
            ops += (ops.empty() ? "" : "; ") + w.operations[i];
        }
        paragraph(d, "Reaches " + std::to_string(w.cost) + " in " + w.function + " after " +
                         std::to_string(w.operations.size()) + " operations" +
                         (first > 0 ? " (the last " + std::to_string(kShown) + ": " : " (") +
                         or_dash(ops) + "); the Evidence JSON holds the whole sequence.");
    }
}

Document build(const Evidence& unordered) {
    Evidence e = unordered;
    canonicalize(e);
    Document d;
    heading(d, 1, "Clockwork evidence");
    paragraph(d, std::string("Verdict: ") + verdict_name(e.verdict) + ".");
    Table tools{{"tool", "version"},
                {{"clockwork", e.tools.clockwork}, {"LLVM", e.tools.llvm}, {"Z3", e.tools.z3}}};
    if (!e.tools.z3_parameters.empty()) {
        tools.rows.push_back({"Z3 parameters", e.tools.z3_parameters});
    }
    for (const auto& [target, command] : e.tools.verifier_compile) {
        tools.rows.push_back({"verifier's compiler (" + target + ")", command});
    }
    table(d, std::move(tools));
    Table inputs{{"input", "path", "SHA-256"}, {}};
    for (const InputFile& i : e.inputs) {
        inputs.rows.push_back({i.role, i.path, or_dash(i.sha256)});
    }
    table(d, std::move(inputs));
    summary(d, e);
    if (!e.bounds.empty()) {
        heading(d, 2, "Why each bound is what it is");
    }
    for (const Bound& b : e.bounds) {
        why(d, b);
    }
    proofs(d, e);
    measurements(d, e);
    return d;
}

std::string markdown_cell(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '|') {
            out += "\\|";
        } else if (c == '\n') {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

} // namespace

std::string to_markdown(const Evidence& evidence) {
    std::ostringstream out;
    for (const Block& b : build(evidence)) {
        switch (b.kind) {
        case Block::heading:
            out << std::string(b.level, '#') << ' ' << b.text << "\n\n";
            break;
        case Block::paragraph:
            out << b.text << "\n\n";
            break;
        case Block::table: {
            std::string rule;
            for (const std::string& h : b.rows.headers) {
                out << "| " << markdown_cell(h) << ' ';
                rule += "| --- ";
            }
            out << "|\n" << rule << "|\n";
            for (const auto& row : b.rows.rows) {
                for (const std::string& cell : row) {
                    out << "| " << markdown_cell(cell) << ' ';
                }
                out << "|\n";
            }
            out << '\n';
            break;
        }
        }
    }
    return out.str();
}

std::string to_html(const Evidence& evidence) {
    std::ostringstream out;
    out << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        << "<title>Clockwork evidence</title>\n<style>\n"
        << "body{font-family:sans-serif;max-width:72em;margin:2em auto;padding:0 1em}\n"
        << "table{border-collapse:collapse;margin:0 0 1.5em}\n"
        << "th,td{border:1px solid #999;padding:.2em .6em;text-align:left;font-size:90%}\n"
        << "th{background:#eee}\n</style>\n</head>\n<body>\n";
    for (const Block& b : build(evidence)) {
        switch (b.kind) {
        case Block::heading:
            out << "<h" << b.level << '>' << escape_markup(b.text) << "</h" << b.level << ">\n";
            break;
        case Block::paragraph:
            out << "<p>" << escape_markup(b.text) << "</p>\n";
            break;
        case Block::table:
            out << "<table>\n<tr>";
            for (const std::string& h : b.rows.headers) {
                out << "<th>" << escape_markup(h) << "</th>";
            }
            out << "</tr>\n";
            for (const auto& row : b.rows.rows) {
                out << "<tr>";
                for (const std::string& cell : row) {
                    out << "<td>" << escape_markup(cell) << "</td>";
                }
                out << "</tr>\n";
            }
            out << "</table>\n";
            break;
        }
    }
    out << "</body>\n</html>\n";
    return out.str();
}

} // namespace clockwork::reports
