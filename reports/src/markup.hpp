// Text helpers the report writers share.
#pragma once

#include <clockwork/reports/evidence.hpp>

#include <string>

namespace clockwork::reports {

inline const char* metric_name(Metric metric) {
    return metric == Metric::instructions ? "instructions" : "cycles";
}

// For XML and HTML text and attribute values alike.
inline std::string escape_markup(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '&':
            out += "&amp;";
            break;
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

} // namespace clockwork::reports
