"""What the phone page and ``serve --lan`` say: the steps to open the app on a phone over HTTPS.

Written once, for the page and the terminal alike. The menus are those of iOS 17-18 and of
Android 13-15 on a Pixel (other makers name them a little differently).
"""

from __future__ import annotations

from dataclasses import dataclass

from collagen_coach.core.errors import UserError

COMMAND = "collagen-coach serve --lan"
AUTHORITY_FILE_NAME = "collagen-coach-authority.crt"

FIRST_TIME = (
    "The first time, the phone's browser warns that the connection is not private: your phone "
    "does not trust this computer's certificate yet. Continue once (iPhone: Show Details, then "
    "visit this website; Android: Advanced, then Proceed) and download the certificate from the "
    "page that opens. Then trust it as below."
)
IPHONE_STEPS = (
    "Tap Download for iPhone, then Allow.",
    "Open Settings › Profile Downloaded, tap Install and follow the steps.",
    "Open Settings › General › About › Certificate Trust Settings and turn on full trust for "
    "the certificate whose name begins with collagen-coach.",
)
ANDROID_STEPS = (
    "Tap Download for Android: the file is saved in Downloads.",
    "Open Settings › Security › Encryption & credentials › Install a certificate › "
    "CA certificate, tap Install anyway and choose " + AUTHORITY_FILE_NAME + ".",
)
AFTERWARDS = "Open the address again: no warning now. Sign in as usual."
ON_THE_PHONE = (
    "Once this phone trusts it, the browser opens the app here without a warning, and the "
    "camera works for your photos."
)
CHECK_FINGERPRINT = (
    "To be sure the certificate is this computer's, compare the SHA-256 fingerprint the phone "
    "shows in its details with this one:"
)
WHO_CAN_REACH_IT = (
    "Only phones and computers on your home network can reach it: nothing outside can, unless "
    "you set up your router to let it. The certificate authority is this computer's own; it can "
    "vouch only for home-network addresses and this computer's names, and its key never leaves "
    "this computer."
)
NO_HOME_ADDRESS = UserError(
    "--lan",
    "this computer has no address on a home network (10.x.x.x, 172.16.x.x to 172.31.x.x or "
    "192.168.x.x); connect it to your home network by Wi-Fi or cable and try again",
)
NEW_AUTHORITY = (
    "A new certificate authority was made for this computer: install and trust it on your phone "
    "(the steps are below, and on the page Use on your phone)."
)


@dataclass(frozen=True)
class Steps:
    """The steps for one kind of phone, and the address its download comes from."""

    phone: str
    steps: tuple[str, ...]
    download: str  # the name of the address (phone:…)


STEPS = (
    Steps("iPhone", IPHONE_STEPS, "phone:certificate"),
    Steps("Android", ANDROID_STEPS, "phone:certificate_file"),
)
