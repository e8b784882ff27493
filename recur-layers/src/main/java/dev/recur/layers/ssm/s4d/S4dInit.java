package dev.recur.layers.ssm.s4d;

/**
 * How the diagonal state matrix {@code A} (and the fixed input vector {@code B}) of an S4D layer start, for a real
 * state size {@code N} kept as {@code N/2} complex modes (each stands for itself and its conjugate).
 *
 * <ul>
 *   <li>{@link #LIN}: S4D-Lin, {@code A_n = -1/2 + i pi n}, {@code B_n = 1} (Gu et al. 2022, "On the
 *       Parameterization and Initialization of Diagonal State Space Models", section 4).</li>
 *   <li>{@link #INV}: S4D-Inv, {@code A_n = -1/2 + i (N/pi) (N/(2n+1) - 1)}, {@code B_n = 1} (same paper).</li>
 *   <li>{@link #LEGS}: the exact eigenvalues of the normal part of HiPPO-LegS ({@code A + P P^T = -1/2 I + S},
 *       S skew-symmetric), computed in double, with {@code B} projected onto the eigenvectors
 *       ({@code V^* B}).</li>
 *   <li>{@link #LEGT}: the same for HiPPO-LegT ({@code A_nk = -r_n r_k} for {@code n >= k},
 *       {@code -r_n r_k (-1)^(n-k)} above, {@code r_n = sqrt(2n+1)}, {@code B = r}, rank-2 correction
 *       {@code P} = r split by parity). Its normal part is skew-symmetric (real part 0).</li>
 *   <li>{@link #FOUT}: the same for HiPPO-FouT on a unit window (cosine and sine of frequency {@code 2 pi n}
 *       for {@code n < N/2}; {@code A = S - B B^T} with {@code B} = 1 for the constant, sqrt 2 for each
 *       cosine, 0 for each sine; {@code P = B}); its eigenvalues are {@code +-2 pi n i}.</li>
 * </ul>
 * A diagonal restriction with real part 0 would not decay, so LegT and FouT (whose normal parts are purely
 * imaginary) take real part {@code -1/2} like the other initialisations; LegS keeps its exact {@code -1/2}.
 */
public enum S4dInit {
    LIN, INV, LEGS, LEGT, FOUT
}
