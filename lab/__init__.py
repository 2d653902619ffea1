"""The invariance lab: image transforms, sweeps over them, Picasso faces, and the homework's theory computed."""
