"""Run Varnish with edge/newsroom.vcl in front of a Newsroom server (`make serve-edge`, tests).

    python edge/varnish.py --backend 127.0.0.1:8000 --listen 127.0.0.1:6081

Needs Debian's `varnish` and `varnish-modules` (for xkey). Binds to loopback only.
"""

import argparse
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

VCL = Path(__file__).resolve().parent / "newsroom.vcl"


def varnishd() -> str | None:
    return shutil.which("varnishd") or next(
        (path for path in ["/usr/sbin/varnishd"] if Path(path).exists()), None
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def configuration(backend_host: str, backend_port: int, directory: Path) -> Path:
    vcl = directory / "newsroom.vcl"
    text = VCL.read_text().replace("__BACKEND_HOST__", backend_host)
    vcl.write_text(text.replace("__BACKEND_PORT__", str(backend_port)))
    return vcl


def start(backend_host: str, backend_port: int, port: int, directory: Path) -> subprocess.Popen:
    """varnishd in the foreground on 127.0.0.1:`port`, once it answers."""
    directory.chmod(0o755)  # varnishd's own unprivileged user reads the compiled VCL there
    process = subprocess.Popen(  # noqa: S603
        [
            varnishd(),
            "-F",
            "-f", str(configuration(backend_host, backend_port, directory)),
            "-a", f"127.0.0.1:{port}",
            "-n", str(directory / "state"),
            "-T", "none",
            "-s", "malloc,64m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError(f"varnishd failed: {process.stderr.read().decode()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("varnishd did not start")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="127.0.0.1:8000")
    parser.add_argument("--listen", default="127.0.0.1:6081")
    args = parser.parse_args()
    host, _, port = args.backend.rpartition(":")
    listen_host, _, listen_port = args.listen.rpartition(":")
    if listen_host != "127.0.0.1":
        raise SystemExit("The edge cache binds to 127.0.0.1 only; put a TLS proxy in front.")
    if not varnishd():
        raise SystemExit("varnishd is missing: apt-get install varnish varnish-modules")
    with tempfile.TemporaryDirectory(prefix="newsroom-varnish-") as directory:
        process = start(host, int(port), int(listen_port), Path(directory))
        print(f"Varnish on http://{args.listen}/ in front of http://{args.backend}/", flush=True)
        try:
            process.wait()
        except KeyboardInterrupt:
            process.terminate()
            process.wait(timeout=10)


if __name__ == "__main__":
    main()
