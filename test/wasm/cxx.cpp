// C++ on Alligator: new/delete, std::vector and std::string, built through
// both routes (the port file with em++, and the make route's archive).  The
// program exports neither malloc nor free; the test then calls
// Module.alligator.heapMap() and stats() on it (both must work in any build).
#include <cstdio>
#include <memory>
#include <string>
#include <vector>
#include <alligator.h>

struct Node {
  std::string name;
  std::vector<int> data;
};

static alligator_stats_t stats() {
  alligator_stats_t st;
  alligator_stats(&st);
  return st;
}

int main() {
  const size_t before = stats().live_allocations;
  std::vector<std::unique_ptr<Node>> nodes;
  for (int i = 0; i < 1000; i++) {
    Node *n = new Node{"node number " + std::to_string(i) + " with a name past the small-string buffer", {}};
    n->data.assign(static_cast<size_t>(i % 50 + 1), i);
    nodes.emplace_back(n);
  }
  // 1000 nodes, 1000 strings, 1000 vectors' buffers, plus the outer vector's
  const alligator_stats_t during = stats();
  long sum = 0;
  for (auto &n : nodes) sum += n->data.back() + static_cast<long>(n->name.size());
  nodes.clear();
  const alligator_stats_t after = stats();
  std::printf("cxx: live before %zu during %zu after %zu, in use during %zu, sum %ld, heap problems %d\n", before,
              during.live_allocations, after.live_allocations, during.in_use_bytes, sum,
              alligator_validate(nullptr, nullptr));
  return 0;
}
