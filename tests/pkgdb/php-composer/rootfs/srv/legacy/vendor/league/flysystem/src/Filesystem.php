<?php

namespace League\Flysystem;

class Filesystem implements FilesystemInterface
{
}
