// The header used from C++ without an extern "C" wrapper: it must declare the functions with C
// linkage itself, compile cleanly with -std=c++11 -Wall -Wextra -Werror -pedantic, link, and work.
#include <smtpreply.h>

#include <cstdio>
#include <cstring>

static int failures = 0;

#define EXPECT(cond)                                                                    \
    do {                                                                                \
        if (!(cond)) {                                                                  \
            std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            failures++;                                                                 \
        }                                                                               \
    } while (0)

int main() {
    static const char reply_text[] = "550-5.1.1 No such user\r\n550 5.1.1 try again\r\n";
    static const char ehlo[] = "250-mx.example.com\r\n250-PIPELINING\r\n250 SIZE 1000\r\n";

    EXPECT(std::strcmp(smtpreply_version(), SMTPREPLY_VERSION_STRING) == 0);
    // In C++ the result is the enum itself.
    smtpreply_result r = SMTPREPLY_OK;
    EXPECT(std::strcmp(smtpreply_result_name(r), "SMTPREPLY_OK") == 0);

    smtpreply_reply *reply = smtpreply_reply_new();
    size_t consumed = 0;
    r = smtpreply_parse_reply(reinterpret_cast<const uint8_t *>(reply_text), sizeof reply_text - 1, nullptr, reply,
                              &consumed);
    EXPECT(r == SMTPREPLY_OK);
    EXPECT(consumed == sizeof reply_text - 1);
    smtpreply_reply_info info;
    EXPECT(smtpreply_reply_get_info(reply, &info) == SMTPREPLY_OK);
    EXPECT(info.code == 550);
    EXPECT(info.has_enhanced && info.enhanced.status_class == 5 && info.enhanced.subject == 1 &&
           info.enhanced.detail == 1);
    EXPECT(info.line_count == 2);
    smtpreply_line line;
    EXPECT(smtpreply_reply_get_line(reply, 1, &line) == SMTPREPLY_OK);
    EXPECT(line.is_last && line.text_len == 9 && std::memcmp(line.text, "try again", 9) == 0);
    EXPECT(smtpreply_reply_get_line(reply, 2, &line) == SMTPREPLY_OUT_OF_RANGE);
    smtpreply_reply_free(reply);

    smtpreply_code_info ci;
    EXPECT(smtpreply_code_lookup(550, &ci) == SMTPREPLY_OK);
    EXPECT(ci.severity == SMTPREPLY_SEVERITY_PERMANENT_NEGATIVE && ci.status == SMTPREPLY_CODE_STATUS_STANDARD);
    EXPECT(smtpreply_code_lookup(600, &ci) == SMTPREPLY_OUT_OF_RANGE);
    EXPECT(std::strstr(smtpreply_last_error_message(), "600") != nullptr);
    smtpreply_enhanced_code ec = {5, 7, 26};
    smtpreply_enhanced_info ei;
    EXPECT(smtpreply_enhanced_lookup(&ec, &ei) == SMTPREPLY_OK);
    EXPECT(ei.status == SMTPREPLY_ENHANCED_STATUS_REGISTERED);

    smtpreply_capabilities *caps = smtpreply_capabilities_new();
    EXPECT(smtpreply_capabilities_parse(caps, reinterpret_cast<const uint8_t *>(ehlo), sizeof ehlo - 1) ==
           SMTPREPLY_OK);
    EXPECT(smtpreply_capabilities_has(caps, "pipelining"));
    uint32_t status = 0;
    uint64_t limit = 0;
    EXPECT(smtpreply_capabilities_size(caps, &status, &limit) == SMTPREPLY_OK);
    EXPECT(status == SMTPREPLY_SIZE_LIMIT && limit == 1000);
    uint64_t mask = 0;
    EXPECT(smtpreply_capabilities_extensions(caps, &mask) == SMTPREPLY_OK);
    EXPECT(mask == ((uint64_t(1) << SMTPREPLY_EXT_PIPELINING) | (uint64_t(1) << SMTPREPLY_EXT_SIZE)));
    smtpreply_capabilities_free(caps);

    smtpreply_stream *stream = nullptr;
    EXPECT(smtpreply_stream_new(nullptr, &stream) == SMTPREPLY_OK);
    EXPECT(smtpreply_stream_feed(stream, reinterpret_cast<const uint8_t *>("200\r"), 4) == SMTPREPLY_OK);
    EXPECT(smtpreply_stream_finish(stream) == SMTPREPLY_TRUNCATED);
    smtpreply_stream_free(stream);

    if (failures != 0) {
        std::fprintf(stderr, "cpp_compat: %d checks failed\n", failures);
        return 1;
    }
    std::printf("cpp_compat: all checks passed\n");
    return 0;
}
