"""The real content-server on a free loopback port, for the Python tests."""

import re
import subprocess
import threading


class ServerProcess:
    """Starts SERVER_BIN on 127.0.0.1:0 with its data in `data_dir`; the
    bound address is `address`. Its log is read to the end on a thread, so
    the server never blocks on a full pipe."""

    def __init__(self, server_bin, data_dir):
        self.process = subprocess.Popen(
            [server_bin, "--listen", "127.0.0.1:0", "--data_dir", data_dir,
             "--metrics_listen", "127.0.0.1:0"],
            stderr=subprocess.PIPE, text=True)
        for line in self.process.stderr:
            match = re.search(r"event=listening address=(\S+)", line)
            if match:
                self.address = match.group(1)
                self._drain = threading.Thread(
                    target=self.process.stderr.read, daemon=True)
                self._drain.start()
                return
        raise RuntimeError("content-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)
