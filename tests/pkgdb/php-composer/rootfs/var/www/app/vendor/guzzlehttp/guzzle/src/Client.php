<?php

namespace GuzzleHttp;

class Client implements ClientInterface, \Psr\Http\Client\ClientInterface
{
}
