// One breach of each rule; the tests assert the rule, the line and the function.
#include <stddef.h>

extern "C" void* malloc(size_t size);
extern "C" void free(void* pointer);
void* operator new(size_t size, void* place) noexcept;

unsigned factorial(unsigned n) {
    return n <= 1 ? 1 : n * factorial(n - 1);
}

bool is_odd(unsigned n);
bool is_even(unsigned n) {
    return n == 0 ? true : is_odd(n - 1);
}
bool is_odd(unsigned n) {
    return n == 0 ? false : is_even(n - 1);
}

struct Callbacks {
    void (*notify)(void* context);
    void* context;
};

void signal(const Callbacks& callbacks) {
    callbacks.notify(callbacks.context);
}

struct Shape {
    virtual ~Shape() = default;
    virtual int area() const = 0;
};
struct Square final : Shape {
    int side = 2;
    int area() const override { return side * side; }
};

int measure(const Shape& shape, const Square& square) {
    return shape.area() + square.area();
}

int scratch(int n) {
    int buffer[n];
    buffer[0] = n;
    return buffer[0];
}

int* make(int value) {
    int* p = new int(value);
    return p;
}

void destroy(int* p) {
    delete p;
}

void* raw(size_t n) {
    void* p = malloc(n);
    free(p);
    return p;
}

int* in_place(void* storage) {
    return new (storage) int(7);
}

void pause() {
    __asm__ volatile("nop");
}
