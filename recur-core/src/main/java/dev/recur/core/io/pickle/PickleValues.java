package dev.recur.core.io.pickle;

/**
 * The values a restricted pickle builds: {@link String} (str), {@link Long} (int), {@link Double} (float),
 * {@link Boolean}, {@link #NONE}, {@link PickleTuple}, {@link PickleList}, {@link PickleDict}, and whatever the
 * {@link PickleHooks} return. {@link #describe} names a value's kind for error messages without walking into it,
 * so a list that contains itself cannot loop.
 */
public final class PickleValues {
    /** Python's {@code None}. */
    public static final Object NONE = new Object() {
        @Override
        public String toString() {
            return "None";
        }
    };

    private PickleValues() {}

    /** A short description: {@code the str "abc"}, {@code the int 3}, {@code a list of 2 items}, ... */
    public static String describe(Object v) {
        if (v == NONE) {
            return "None";
        }
        if (v instanceof String s) {
            return "the str " + quote(s);
        }
        if (v instanceof Long || v instanceof Double || v instanceof Boolean) {
            return (v instanceof Long ? "the int " : v instanceof Double ? "the float " : "the bool ") + v;
        }
        if (v instanceof PickleTuple t) {
            return "a tuple of " + t.size() + (t.size() == 1 ? " item" : " items");
        }
        if (v instanceof PickleList l) {
            return "a list of " + l.size() + (l.size() == 1 ? " item" : " items");
        }
        if (v instanceof PickleDict d) {
            return (d.ordered() ? "an OrderedDict of " : "a dict of ") + d.entries().size()
                    + (d.entries().size() == 1 ? " entry" : " entries");
        }
        return v == null ? "nothing" : v.toString();
    }

    /** A string in double quotes, control characters escaped, cut at 120 characters. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        int n = Math.min(s.length(), 120);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\u%04X", (int) c) : String.valueOf(c));
        }
        return sb.append(s.length() > n ? "...\"" : "\"").toString();
    }
}
