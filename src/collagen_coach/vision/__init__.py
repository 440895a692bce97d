"""Photo analysis: pure functions over images (NumPy, OpenCV, scikit-image, MediaPipe FaceMesh).

No Django and nothing from the CLI. Left and right are always the subject's own left and right
(their left cheek appears on the right of a photo that is not mirrored).
"""

ALGORITHM = "collagen-coach-vision@2.1"
