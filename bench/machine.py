"""What a benchmark ran on: `describe()` gives the CPU's model name (from /proc/cpuinfo where there is one), the vector
instruction set PyTorch's CPU kernels use (`torch.backends.cpu.get_cpu_capability()`: AVX2, AVX512, ...) and the core
count, so that results from different machines are never compared as if they were one."""
import os, platform
from pathlib import Path


def cpu_model()->str:
    "The CPU's model name, e.g. 'AMD EPYC' or 'Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz'."
    info = Path('/proc/cpuinfo')
    if info.exists():
        for line in info.read_text().splitlines():
            if line.startswith('model name'): return line.split(':', 1)[1].strip()
    return platform.processor() or platform.machine()


def describe()->dict:
    "cpu_model, cpu_capability and cpus of this machine."
    import torch
    return dict(cpu_model=cpu_model(), cpu_capability=torch.backends.cpu.get_cpu_capability(), cpus=os.cpu_count())


def label(env:dict)->str:
    "'AMD EPYC (AVX2), 2 cores' from `describe()`'s fields; 'unrecorded CPU' for results written before they existed."
    if 'cpu_model' not in env: return 'unrecorded CPU'
    return f"{env['cpu_model']} ({env['cpu_capability']}), {env['cpus']} cores"
