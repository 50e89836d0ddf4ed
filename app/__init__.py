"""DEAR Export: get data out of DEAR Inventory (Cin7 Core) and into Excel.

This module holds only constants (stdlib only) so that installer.spec and the
build scripts can read them without importing Qt or any third-party package.
"""

APP_NAME = "DEAR Export"
APP_ID = "dear-export"
ORG_NAME = "DEAR Export"
ORG_DOMAIN = "dear-export.app"
__version__ = "0.1.0"
