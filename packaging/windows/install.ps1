<#
.SYNOPSIS
Installs the Upkeep agent on Windows as a scheduled task that runs at
startup as SYSTEM and is started again when it has stopped.

.DESCRIPTION
Node.js is not a Windows service binary (it does not answer the service
control manager), so the agent runs from Task Scheduler instead of as a
service (docs/enrolment.md, "Windows"):
  the build   -> %ProgramFiles%\Upkeep\agent
  the bundle  -> %ProgramData%\Upkeep\bundle (SYSTEM and Administrators only)
  the state   -> %ProgramData%\Upkeep\state
  the task    -> \Upkeep\Upkeep Agent: at startup, and every 5 minutes so a
                 stopped agent comes back; one instance at a time.
Run it from an elevated PowerShell. -WhatIf prints the steps only.

.EXAMPLE
.\install.ps1 -Bundle C:\Temp\bundle-acme-laptop-7 -Node 'C:\Program Files\nodejs\node.exe'
#>
[CmdletBinding(SupportsShouldProcess = $true)]
param(
  [Parameter(Mandatory = $true)] [string] $Bundle,
  [string] $Agent = (Join-Path $PSScriptRoot '..\..\dist\agent'),
  [string] $Node = '',
  [switch] $NoStart
)
$ErrorActionPreference = 'Stop'

$TaskName = 'Upkeep Agent'
$TaskPath = '\Upkeep\'
$BundleFiles = @('config.json', 'certificate.pem.crt', 'private.pem.key', 'root-ca.pem')
$ProgramDir = Join-Path $env:ProgramFiles 'Upkeep\agent'
$DataDir = Join-Path $env:ProgramData 'Upkeep'
$BundleDir = Join-Path $DataDir 'bundle'
$StateDir = Join-Path $DataDir 'state'

# The bundle and the build must be complete before anything is copied.
foreach ($file in $BundleFiles) {
  if (-not (Test-Path (Join-Path $Bundle $file))) { throw "the bundle $Bundle lacks $file" }
}
foreach ($file in @('index.mjs', 'upkeep-agent.cmd')) {
  if (-not (Test-Path (Join-Path $Agent $file))) {
    throw "the agent build $Agent lacks $file (npm run build)"
  }
}
if ($Node -eq '') { $Node = (Get-Command node -ErrorAction Stop).Source }
$major = [int]((& $Node --version).TrimStart('v').Split('.')[0])
if ($major -lt 22) { throw "$Node is Node $major; the agent needs 22 or newer" }

if ($PSCmdlet.ShouldProcess($ProgramDir, 'copy the agent build')) {
  if (Test-Path $ProgramDir) { Remove-Item -Recurse -Force $ProgramDir }
  New-Item -ItemType Directory -Force -Path $ProgramDir | Out-Null
  Copy-Item -Recurse -Path (Join-Path $Agent '*') -Destination $ProgramDir
}

if ($PSCmdlet.ShouldProcess($BundleDir, 'copy the bundle, SYSTEM and Administrators only')) {
  New-Item -ItemType Directory -Force -Path $BundleDir, $StateDir | Out-Null
  foreach ($file in $BundleFiles) { Copy-Item -Force (Join-Path $Bundle $file) $BundleDir }
  # The private key is the device's identity: no inherited access for users.
  foreach ($dir in @($BundleDir, $StateDir)) {
    # S-1-5-18 is SYSTEM, S-1-5-32-544 Administrators, in any language.
    & icacls.exe $dir /inheritance:r /grant:r `
      '*S-1-5-18:(OI)(CI)F' '*S-1-5-32-544:(OI)(CI)F' | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "icacls failed on $dir" }
  }
}

if ($PSCmdlet.ShouldProcess('UPKEEP_NODE', "set the machine variable to $Node")) {
  # upkeep-agent.cmd starts %UPKEEP_NODE%; SYSTEM's PATH may lack node.
  [Environment]::SetEnvironmentVariable('UPKEEP_NODE', $Node, 'Machine')
}

$launcher = Join-Path $ProgramDir 'upkeep-agent.cmd'
$arguments = "/d /c `"`"$launcher`" --bundle `"$BundleDir`" --state `"$StateDir`"`""
$action = New-ScheduledTaskAction -Execute "$env:SystemRoot\System32\cmd.exe" -Argument $arguments
$triggers = @(
  (New-ScheduledTaskTrigger -AtStartup),
  # Task Scheduler's restart-on-failure covers a failed start only, not a
  # process that exits later; a repeating trigger with IgnoreNew starts a
  # stopped agent again and does nothing while it runs.
  (New-ScheduledTaskTrigger -Once -At (Get-Date) `
    -RepetitionInterval (New-TimeSpan -Minutes 5) `
    -RepetitionDuration (New-TimeSpan -Days 3650))
)
$settings = New-ScheduledTaskSettingsSet `
  -MultipleInstances IgnoreNew `
  -ExecutionTimeLimit ([TimeSpan]::Zero) `
  -RestartCount 3 -RestartInterval (New-TimeSpan -Minutes 1) `
  -StartWhenAvailable -AllowStartIfOnBatteries -DontStopIfGoingOnBatteries `
  -Priority 7
$principal = New-ScheduledTaskPrincipal `
  -UserId 'S-1-5-18' -LogonType ServiceAccount -RunLevel Highest

if ($PSCmdlet.ShouldProcess("$TaskPath$TaskName", 'register the scheduled task')) {
  Register-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -Action $action `
    -Trigger $triggers -Settings $settings -Principal $principal -Force | Out-Null
  if (-not $NoStart) {
    Stop-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath -ErrorAction SilentlyContinue
    Start-ScheduledTask -TaskName $TaskName -TaskPath $TaskPath
  }
}
Write-Output "installed $TaskPath$TaskName"
