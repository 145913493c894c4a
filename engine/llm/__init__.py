"""The optional LLM engine: any OpenAI-compatible server, validated, private, with offline fallback.

Modules, each with one job:

- ``settings``: provider presets, base URL, model, timeout, output style (``load_llm_settings``,
  ``save_llm_settings``); environment overrides for headless use.
- ``secrets``: the API key from the OS keyring or ``OPENAI_API_KEY`` (``set_api_key``,
  ``delete_api_key``, ``resolve_api_key``); never written to a plain file.
- ``client``: the boundary to the ``openai`` package (``LLMClient``, ``test_connection``);
  every failure becomes an ``LLMError`` with a sentence a user can act on.
- ``prompts`` / ``schema`` / ``validate``: what is asked, the shape demanded, and the checks
  on what comes back (verbatim quotes, score range, all dimensions).
- ``grader``: ``LLMGrader``, the ``Grader`` used for ``--engine llm``; bounded by the offline
  engine's scores and falling back to it with a reason.
- ``follow_ups``: streamed LLM probes (``FollowUpStream``) that can be spoken sentence by
  sentence.

Nothing here is imported by the offline path; the ``openai`` package loads on first use.
"""
