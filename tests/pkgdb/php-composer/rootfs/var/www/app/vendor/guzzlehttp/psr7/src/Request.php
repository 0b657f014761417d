<?php

namespace GuzzleHttp\Psr7;

final class Request implements RequestInterface
{
}
