using System.Runtime.Intrinsics;

namespace Norton.Core.OptimalTransport;

internal sealed partial class FusedSinkhornKernel
{
    /// <summary>
    /// Per-worker scratch memory, allocated once per run and reused by every group and sweep: vectors hold one problem
    /// per lane (the transposed layout), scalars serve the log-domain sweeps of one problem.
    /// </summary>
    private sealed class Workspace<T> where T : unmanaged
    {
        public Workspace(int rows, int cols)
        {
            Kernel = new Vector256<T>[rows * cols];
            U = new Vector256<T>[rows];
            V = new Vector256<T>[cols];
            A = new Vector256<T>[rows];
            B = new Vector256<T>[cols];
            ColumnSums = new Vector256<T>[cols];
            Terms = new T[Math.Max(rows, cols)];
        }

        /// <summary>(m' n') the kernel <c>exp(Z - max Z)</c>, row-major; first the gathered Z.</summary>
        public Vector256<T>[] Kernel { get; }

        /// <summary>(m') row scalings <c>u</c>.</summary>
        public Vector256<T>[] U { get; }

        /// <summary>(n') column scalings <c>v</c>.</summary>
        public Vector256<T>[] V { get; }

        /// <summary>(m') row marginals <c>a</c>.</summary>
        public Vector256<T>[] A { get; }

        /// <summary>(n') column marginals <c>b</c>.</summary>
        public Vector256<T>[] B { get; }

        /// <summary>(n') <c>K^T u</c>, accumulated row by row.</summary>
        public Vector256<T>[] ColumnSums { get; }

        /// <summary>One row or column of log-domain terms <c>Z + g</c> or <c>Z + f</c>.</summary>
        public T[] Terms { get; }

        /// <summary>Problems this worker solved in the kernel domain.</summary>
        public long KernelDomainProblems { get; set; }
    }
}
