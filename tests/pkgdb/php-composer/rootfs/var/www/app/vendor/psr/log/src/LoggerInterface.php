<?php

namespace Psr\Log;

interface LoggerInterface
{
}
