package dev.recur.tasks.listops;

import java.util.Arrays;

/** The four ListOps operators of Long Range Arena, each a function of a list of digits to a digit. */
public enum ListOpsOperator {
    MIN("[MIN"),
    MAX("[MAX"),
    /** The median; for an even count the mean of the two middle values, truncated (numpy's median, then int). */
    MED("[MED"),
    /** The sum modulo 10. */
    SM("[SM");

    private final String token;

    ListOpsOperator(String token) {
        this.token = token;
    }

    /** The opening token, e.g. {@code [MAX}. */
    public String token() {
        return token;
    }

    /** The operator's value on {@code values} (at least one digit). */
    public int apply(int[] values) {
        int[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        return switch (this) {
            case MIN -> v[0];
            case MAX -> v[n - 1];
            case MED -> n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
            case SM -> Arrays.stream(v).sum() % 10;
        };
    }
}
