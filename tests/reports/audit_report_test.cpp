#include <clockwork/reports/audit_report.hpp>

#include <gtest/gtest.h>

#include <string>

namespace clockwork::reports {
namespace {

Evidence unsound_sample() {
    Evidence e;
    e.tools = {"clockwork 0.1.0", "19.1.7", "4.8.12"};
    e.inputs = {{"elf", "build/targets/cortex-m4/clockwork_heap.elf", "ab12"}};
    Bound b;
    b.target = "cortex-m4";
    b.allocator = "heap";
    b.function = "cw_heap_free";
    b.value = 90;
    b.worst_path = {{0x800, 2, 7, {"heap.cpp", 300}}};
    b.loops = {{"copy_words", 0x500, {"heap.cpp", 330}, 16, LoopBoundProvenance::annotated, false}};
    b.assumptions = {{"call to cw_heap_checked_free", "never executed", "--never-called"}};
    e.bounds = {b};
    e.budgets = {{"cortex-m4", "cw_heap_free", Metric::instructions, 100, 90, true, "heap"}};
    e.cross_checks = {
        {"cortex-m4", "cw_heap_free", Metric::instructions, 90, 94, false, 90.0 / 94.0, "heap"}};
    Proof p;
    p.property = "free <keeps> a|b";
    p.harness = "free_harness.cpp";
    p.target = "rv32imc";
    p.status = ProofStatus::refuted;
    p.scope_blocks = 4;
    p.counterexample = Counterexample{{{"n", "24"}}, {{"heap.cpp", 10}}, "allocate 24; free #0"};
    e.proofs = {p};
    e.verdict = Verdict::unsound;
    return e;
}

TEST(AuditReport, MarkdownSummarisesEachBoundWithBudgetMeasurementAndSoundness) {
    const std::string md = to_markdown(unsound_sample());
    EXPECT_EQ(md.rfind("# Clockwork evidence\n\nVerdict: UNSOUND.\n", 0), 0u) << md;
    EXPECT_NE(md.find("| cortex-m4 | heap | cw_heap_free | instructions | 90 | 100 | yes | 94 | "
                      "0.96 | NO |"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("| 0x800 | heap.cpp:300 | 2 | 7 | 14 |"), std::string::npos) << md;
    EXPECT_NE(md.find("| copy_words 0x500 | heap.cpp:330 | 16 | annotated | assumed |"),
              std::string::npos)
        << md;
    // A '|' inside a cell is escaped, so that it cannot split the row.
    EXPECT_NE(md.find("| free <keeps> a\\|b | free_harness.cpp | rv32imc | refuted | 4 | - |"),
              std::string::npos)
        << md;
    EXPECT_NE(md.find("Replay: allocate 24; free #0"), std::string::npos) << md;
}

TEST(AuditReport, HtmlIsOneEscapedPageWithTheSameContent) {
    const std::string html = to_html(unsound_sample());
    EXPECT_EQ(html.rfind("<!DOCTYPE html>\n", 0), 0u);
    EXPECT_EQ(html.substr(html.size() - 8), "</html>\n");
    EXPECT_NE(html.find("<p>Verdict: UNSOUND.</p>"), std::string::npos) << html;
    EXPECT_NE(html.find("<td>free &lt;keeps&gt; a|b</td>"), std::string::npos) << html;
    EXPECT_EQ(html.find("<keeps>"), std::string::npos) << html;
    EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(AuditReport, ProducerOrderDoesNotChangeTheReport) {
    Evidence forward = unsound_sample();
    Bound other = forward.bounds[0];
    other.function = "cw_heap_allocate";
    forward.bounds.push_back(other);
    Evidence backward = forward;
    std::swap(backward.bounds[0], backward.bounds[1]);
    EXPECT_EQ(to_markdown(forward), to_markdown(backward));
    EXPECT_EQ(to_html(forward), to_html(backward));
}

} // namespace
} // namespace clockwork::reports
